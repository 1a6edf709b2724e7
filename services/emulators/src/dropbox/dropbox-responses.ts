import type { Response } from 'express';
import type { DropboxErrorFault, DropboxRoute } from './dropbox-faults.js';

/** An answer other than success, as Dropbox gives it. */
export class DropboxRejection extends Error {
  constructor(
    readonly status: number,
    readonly body: string | Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

/** The API function a route is, as Dropbox names it in its 400 messages. */
export function apiFunction(route: DropboxRoute): string {
  return route.startsWith('list') ? `files/${route}` : `sharing/${route}`;
}

/** A 409 with this error union; its error_summary joins the nested tags, as Dropbox does. */
export function conflict(error: Record<string, unknown>, userMessage?: string): DropboxRejection {
  const tags: string[] = [];
  for (let node: unknown = error; node && typeof node === 'object' && typeof (node as Record<string, unknown>)['.tag'] === 'string'; ) {
    const tag = (node as Record<string, string>)['.tag'] as string;
    tags.push(tag);
    node = (node as Record<string, unknown>)[tag];
  }
  return new DropboxRejection(409, { error_summary: `${tags.join('/')}/`, error, ...(userMessage ? { user_message: { text: userMessage, locale: 'en' } } : {}) });
}

/** A 400 in plain text naming the API function, as Dropbox words a malformed call. */
export function badInput(route: DropboxRoute, message: string): DropboxRejection {
  return new DropboxRejection(400, `Error in call to API function "${apiFunction(route)}": ${message}`);
}

/** Sends a rejection: a string body as plain text, anything else as JSON. */
export function sendDropboxRejection(res: Response, rejection: DropboxRejection): void {
  res.status(rejection.status);
  for (const [name, value] of Object.entries(rejection.headers)) res.setHeader(name, value);
  if (typeof rejection.body === 'string') res.type('text/plain; charset=utf-8').send(rejection.body);
  else res.type('application/json').send(JSON.stringify(rejection.body));
}

/** Sends a rejection as Dropbox words it and anything else as a plain-text 500. */
export function failDropboxRequest(res: Response, error: unknown): void {
  if (error instanceof DropboxRejection) sendDropboxRejection(res, error);
  else sendDropboxRejection(res, new DropboxRejection(500, error instanceof Error ? error.message : String(error)));
}

/** The rejection one of Dropbox's own scripted faults answers with. */
export function faultRejection(fault: DropboxErrorFault): DropboxRejection {
  if (fault.type === 'status') return new DropboxRejection(fault.status, fault.body);
  if (fault.type === 'conflict') return conflict(fault.error, fault.userMessage);
  const headers = { 'Retry-After': String(fault.retryAfter) };
  return fault.body === 'json'
    ? new DropboxRejection(429, { error_summary: 'too_many_requests/..', error: { reason: { '.tag': 'too_many_requests' }, retry_after: fault.retryAfter } }, headers)
    : new DropboxRejection(429, 'too_many_requests', headers);
}
