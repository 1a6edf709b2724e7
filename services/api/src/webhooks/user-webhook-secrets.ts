import type { UsersRepository } from '@importer/db';
import type { WebhookSecrets } from './webhook-secret.js';

/**
 * Each user's webhook signing secret, shown in their settings and rotated there: one secret per user, so one user's
 * receiver never accepts what was signed for another's. Rotating bumps the version it is derived at; the old secret
 * stops signing at once, retries of earlier deliveries included.
 */
export class UserWebhookSecrets {
  constructor(
    private readonly secrets: Pick<WebhookSecrets, 'forJob' | 'forUser'>,
    private readonly users: Pick<UsersRepository, 'webhookSecretVersion' | 'bumpWebhookSecretVersion'>,
  ) {}

  /** The user's current secret; undefined for a user who does not exist. */
  async current(userId: string): Promise<string | undefined> {
    const version = await this.users.webhookSecretVersion(userId);
    return version === undefined ? undefined : this.secrets.forUser(userId, version);
  }

  /** A new secret for the user, replacing the current one. */
  async rotate(userId: string): Promise<string | undefined> {
    const version = await this.users.bumpWebhookSecretVersion(userId);
    return version === undefined ? undefined : this.secrets.forUser(userId, version);
  }

  /** What signs a job's deliveries: its owner's secret, or for a job from before accounts, the job's own. */
  async signingSecret(ownerId: string | null, jobId: string): Promise<string | undefined> {
    return ownerId ? this.current(ownerId) : this.secrets.forJob(jobId);
  }
}
