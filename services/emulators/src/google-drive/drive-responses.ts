import type { Response } from 'express';
import { bufferBody, sendFile } from '../shared/file-body.sender.js';
import type { BodyFault } from '../shared/transport-faults.js';
import type { GoogleErrorFault } from './drive-faults.js';
import { type GoogleError, googleError } from './google-errors.js';

/** A refused request: the emulator answers it with this Google error. */
export class DriveRejection extends Error {
  constructor(readonly error: GoogleError) {
    super(JSON.stringify(error.body));
  }
}

/** Sends a Google error with its headers; a null body is sent as no body at all. */
export function sendGoogleError(res: Response, error: GoogleError): void {
  res.status(error.status);
  for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  if (error.body === null) res.end();
  else res.type('application/json; charset=UTF-8').send(JSON.stringify(error.body));
}

/** Sends a rejection as its Google error and anything else as Google's 500. */
export function failDriveRequest(res: Response, error: unknown): void {
  if (error instanceof DriveRejection) sendGoogleError(res, error.error);
  else sendGoogleError(res, googleError({ status: 500, message: error instanceof Error ? error.message : String(error) }));
}

/** The rejection a scripted `error` fault answers with. */
export function faultRejection(fault: GoogleErrorFault): DriveRejection {
  const error = googleError({ ...(fault.reason ? { reason: fault.reason } : {}), ...(fault.status ? { status: fault.status } : {}), ...(fault.message ? { message: fault.message } : {}) });
  if (fault.body === 'empty') error.body = null;
  if (fault.body === 'nullMessage') error.body = { error: { code: error.status, message: null } };
  if (fault.retryAfter) error.headers = { 'Retry-After': fault.retryAfter };
  return new DriveRejection(error);
}

/** Sends a JSON resource as Drive does: UTF-8 in the type, a Content-Length, and cut or corrupted if scripted. */
export function sendDriveJson(res: Response, value: unknown, fault: BodyFault | undefined): void {
  sendFile(res, bufferBody(Buffer.from(JSON.stringify(value))), { contentType: 'application/json; charset=UTF-8', fault });
}
