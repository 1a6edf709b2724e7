import { describe, expect, it, vi } from 'vitest';
import { JobSummaryV1 } from '@importer/contracts';
import { job } from '../test-support/fake-api.js';
import { ApiRequestError, createHttpClient } from './http-client.js';

const answer = (status: number, body: unknown) => () => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

describe('the HTTP client', () => {
  it('sends under /api and returns the body parsed by its contract', async () => {
    let asked = '';
    const http = createHttpClient('/api', (input) => {
      asked = String(input);
      return answer(200, job())();
    });
    await expect(http.request(JobSummaryV1, '/import/jobs/x')).resolves.toEqual(job());
    expect(asked).toBe('/api/import/jobs/x');
  });

  it("turns the API's error envelope into an ApiRequestError with its status, code and message", async () => {
    const http = createHttpClient('/api', answer(400, { error: { code: 'not_a_folder_link', message: 'This is a link to a single file, not to a folder.' } }));
    const failure = await http.request(JobSummaryV1, '/import/google-drive').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiRequestError);
    expect(failure).toMatchObject({ status: 400, code: 'not_a_folder_link', message: 'This is a link to a single file, not to a folder.' });
  });

  it('refuses a 200 whose body does not match the contract', async () => {
    const http = createHttpClient('/api', answer(200, { job_id: 'not-a-uuid' }));
    await expect(http.request(JobSummaryV1, '/import/jobs/x')).rejects.toMatchObject({ code: 'bad_response', status: 200 });
  });

  it('reports a network failure as status 0 with a readable message', async () => {
    const http = createHttpClient('/api', () => Promise.reject(new TypeError('fetch failed')));
    await expect(http.request(JobSummaryV1, '/x')).rejects.toMatchObject({ status: 0, code: 'network', message: expect.stringMatching(/could not be reached/) });
  });

  it('names the status when an error has no envelope (a proxy page)', async () => {
    const http = createHttpClient('/api', () => Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(http.request(JobSummaryV1, '/x')).rejects.toMatchObject({ status: 502, code: 'bad_response', message: 'The server answered 502 Bad Gateway.' });
  });

  it('says the session ended on a 401 unauthenticated, and on no other refusal', async () => {
    const onUnauthenticated = vi.fn();
    const expired = createHttpClient('/api', answer(401, { error: { code: 'unauthenticated', message: 'Sign in first.' } }), { onUnauthenticated });
    await expect(expired.request(JobSummaryV1, '/import/jobs/x')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    const wrongPassword = createHttpClient('/api', answer(401, { error: { code: 'invalid_credentials', message: 'The email or the password is wrong.' } }), { onUnauthenticated });
    await expect(wrongPassword.request(JobSummaryV1, '/auth/sign-in')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('takes a 204 without a body, and names addresses under its base', async () => {
    const http = createHttpClient('/api', () => Promise.resolve(new Response(null, { status: 204 })));
    await expect(http.send('/auth/sign-out', { method: 'POST' })).resolves.toBeUndefined();
    expect(http.url('/auth/oidc/start')).toBe('/api/auth/oidc/start');
  });
});
