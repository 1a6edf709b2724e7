import { describe, expect, it } from 'vitest';
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
});
