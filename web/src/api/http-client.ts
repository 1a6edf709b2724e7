import { ErrorResponseV1 } from '@importer/contracts';
import type { z } from 'zod';

/** A request that did not give the answer asked for: the API's own 4xx/5xx, a network failure, or an unreadable body. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The API's stable error code, or `network` / `bad_response`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpClient {
  /** Sends a request under the API's base path and parses the answer with its contract schema. */
  request<T>(schema: z.ZodType<T>, path: string, init?: RequestInit): Promise<T>;
}

/** The API as the browser reaches it: through the web gateway at `/api`. */
export function createHttpClient(baseUrl = '/api', send: typeof fetch = (input, init) => fetch(input, init)): HttpClient {
  return {
    async request<T>(schema: z.ZodType<T>, path: string, init: RequestInit = {}): Promise<T> {
      let response: Response;
      try {
        response = await send(`${baseUrl}${path}`, { ...init, headers: { accept: 'application/json', ...init.headers } });
      } catch {
        throw new ApiRequestError(0, 'network', 'The server could not be reached. Check your connection and try again.');
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        const problem = ErrorResponseV1.safeParse(body);
        if (problem.success) throw new ApiRequestError(response.status, problem.data.error.code, problem.data.error.message);
        throw new ApiRequestError(response.status, 'bad_response', `The server answered ${response.status} ${response.statusText}`.trim() + '.');
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new ApiRequestError(response.status, 'bad_response', 'The server sent an answer this page does not understand; reload the page.');
      return parsed.data;
    },
  };
}

/** A JSON request body. */
export function jsonBody(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}
