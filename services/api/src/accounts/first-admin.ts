import type { Logger } from '@importer/observability';
import { AccountError } from './accounts.errors.js';
import type { AccountsService, Credentials } from './accounts.service.js';

/**
 * Creates the administrator named by ADMIN_EMAIL and its password while no user exists (headless deployments); once
 * anyone exists it does nothing, so changing the password there later never resets an account. A bad email or
 * password stops the start: the deployment asked for something that cannot be.
 */
export async function createFirstAdminFromConfig(accounts: Pick<AccountsService, 'needsFirstAdmin' | 'createFirstAdmin'>, admin: Credentials | null, log: Logger): Promise<void> {
  if (!admin || !(await accounts.needsFirstAdmin())) return;
  try {
    const created = await accounts.createFirstAdmin(admin);
    log.info('created the first administrator from ADMIN_EMAIL', { email: created.email });
  } catch (error) {
    if (error instanceof AccountError && error.code === 'setup_done') return;
    if (error instanceof AccountError) throw new Error(`ADMIN_EMAIL/ADMIN_PASSWORD cannot make the first administrator: ${error.message}`);
    throw error;
  }
}
