import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENDED_STATUSES, type JobDetail, JobDetailV1 } from '@importer/contracts';

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The administrator every end-to-end system starts with (ADMIN_EMAIL, ADMIN_PASSWORD): give `E2E_ADMIN_ENV` to startSystem. */
export const E2E_ADMIN = { email: 'admin@e2e.example', password: 'an e2e administrator password' } as const;
/**
 * Rate-limit counters of this test run's own: failed sign-ins and sign-ups of an earlier run, or of another
 * checkout's, on the shared Redis would otherwise refuse this run's.
 */
export const E2E_RUN_ENV = { RATE_LIMIT_KEY_PREFIX: `importer:rate:run-${randomUUID()}:` } as const;

/** The system's settings for a test run with its administrator made at start. */
export const E2E_ADMIN_ENV = { ...E2E_RUN_ENV, ADMIN_EMAIL: E2E_ADMIN.email, ADMIN_PASSWORD: E2E_ADMIN.password } as const;

/** An answer's JSON body, or an empty object for one without (a 204). */
async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** The public API as a user's script drives it: every call carries the client's API key, when it has one. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey?: string,
  ) {}

  /**
   * A client for a user with a password: signs in (a cookie session, as the web app does), makes an API key with it,
   * and sends that key on every call from then on, as a script would.
   */
  static async signedIn(baseUrl: string, credentials: { email: string; password: string } = E2E_ADMIN): Promise<ApiClient> {
    const anonymous = new ApiClient(baseUrl);
    const signIn = await fetch(`${baseUrl}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
    if (signIn.status !== 200) throw new Error(`sign-in as ${credentials.email}: ${signIn.status} ${await signIn.text()}`);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const created = await anonymous.fetch('/account/api-keys', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e' }) });
    if (created.status !== 201) throw new Error(`making an API key: ${created.status} ${await created.text()}`);
    return new ApiClient(baseUrl, String(((await created.json()) as { key: string }).key));
  }

  /** The same user through another base URL (the gateway instead of api's own port). */
  at(baseUrl: string): ApiClient {
    return new ApiClient(baseUrl, this.apiKey);
  }

  /** A request with this client's key: `target` is a path under the base URL, or a whole URL the API handed out. */
  fetch(target: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.apiKey && !headers.has('authorization')) headers.set('authorization', `Bearer ${this.apiKey}`);
    return fetch(/^https?:/.test(target) ? target : `${this.baseUrl}${target}`, { ...init, headers });
  }

  async post(path: string, body?: unknown): Promise<HttpAnswer> {
    const response = await this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: await jsonOf(response) };
  }

  async get(path: string): Promise<HttpAnswer> {
    const response = await this.fetch(path);
    return { status: response.status, body: await jsonOf(response) };
  }

  async job(jobId: string): Promise<JobDetail> {
    const answer = await this.get(`/import/jobs/${jobId}`);
    if (answer.status !== 200) throw new Error(`GET job ${jobId}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return JobDetailV1.parse(answer.body);
  }

  /** Polls the job until `done` says so, or fails with the job as it last was. */
  /** Polls the job every `pollMs` (the web app polls every second) until `done` says so. */
  async waitForJob(jobId: string, done: (job: JobDetail) => boolean, timeoutMs = 180_000, pollMs = 250): Promise<JobDetail> {
    const deadline = Date.now() + timeoutMs;
    let job = await this.job(jobId);
    while (!done(job)) {
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not get there in ${timeoutMs} ms; last seen: ${JSON.stringify(job)}`);
      await sleep(pollMs);
      job = await this.job(jobId);
    }
    return job;
  }
}

/** The statuses a job ends in: the contracts' set, under the name the e2e tests wait with (`ENDED.has(job.status)`). */
export const ENDED = ENDED_STATUSES;
