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

/** The code of the API's 401 when a call needed a session (or key) and had none that is still valid. */
export const UNAUTHENTICATED = 'unauthenticated';

export interface HttpClient {
  /** Sends a request under the API's base path and parses the answer with its contract schema. */
  request<T>(schema: z.ZodType<T>, path: string, init?: RequestInit): Promise<T>;
  /** Sends a request whose answer has no body (a 204), failing as `request` does. */
  send(path: string, init?: RequestInit): Promise<void>;
  /** The address of a path under the API's base, for the browser to open itself (a sign-in redirect). */
  url(path: string): string;
}

export interface HttpClientOptions {
  /** Called when any call answers 401 `unauthenticated`: the session ended. The call still fails as usual. */
  onUnauthenticated?: () => void;
}

/** The API as the browser reaches it: through the web gateway at `/api`; the session cookie goes along, same-origin. */
export function createHttpClient(baseUrl = '/api', send: typeof fetch = (input, init) => fetch(input, init), options: HttpClientOptions = {}): HttpClient {
  /** The answer's body when the status is a success; else the API's refusal as an ApiRequestError. */
  async function exchange(path: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await send(`${baseUrl}${path}`, { ...init, headers: { accept: 'application/json', ...init.headers } });
    } catch {
      throw new ApiRequestError(0, 'network', 'The server could not be reached. Check your connection and try again.');
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const problem = ErrorResponseV1.safeParse(body);
      if (!problem.success) throw new ApiRequestError(response.status, 'bad_response', `The server answered ${response.status} ${response.statusText}`.trim() + '.');
      if (response.status === 401 && problem.data.error.code === UNAUTHENTICATED) options.onUnauthenticated?.();
      throw new ApiRequestError(response.status, problem.data.error.code, problem.data.error.message);
    }
    return { status: response.status, body };
  }

  return {
    async request<T>(schema: z.ZodType<T>, path: string, init: RequestInit = {}): Promise<T> {
      const { status, body } = await exchange(path, init);
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new ApiRequestError(status, 'bad_response', 'The server sent an answer this page does not understand; reload the page.');
      return parsed.data;
    },
    async send(path: string, init: RequestInit = {}): Promise<void> {
      await exchange(path, init);
    },
    url: (path) => `${baseUrl}${path}`,
  };
}

/** A JSON request body. */
export function jsonBody(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}
