import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { type ErrorResponse, URL_LIST_CSV_MAX_BYTES } from '@importer/contracts';
import type { Logger } from '@importer/observability';
import { ApiError } from './api-error.js';
import { drainRequest } from '@importer/sidecar';

function body(code: string, message: string): ErrorResponse {
  return { error: { code, message } };
}

/** Requests for routes that do not exist get the same error shape as everything else. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(body('not_found', `There is no ${req.method} ${req.path.slice(0, 200)}.`));
};

/**
 * Turns every failure into a JSON error: 4xx with what to fix, or a 500 that says nothing internal. What is left of a
 * refused body is read first (up to the largest body a route takes), so the answer is not lost to a reset connection.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  const answer = respond(log);
  return (error: unknown, req, res, next) => {
    void drainRequest(req, URL_LIST_CSV_MAX_BYTES).then(() => {
      if (res.headersSent || res.destroyed) return;
      answer(error, req, res, next);
    });
  };
}

function respond(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof ApiError) {
      res.set(error.headers).status(error.status).json(body(error.code, error.message));
      return;
    }
    if (error instanceof ZodError) {
      const message = error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      res.status(400).json(body('invalid_request', message));
      return;
    }
    const parseFailure = error as { type?: string; status?: number };
    if (parseFailure.type === 'entity.parse.failed') {
      res.status(400).json(body('invalid_json', 'The request body is not valid JSON.'));
      return;
    }
    if (parseFailure.type === 'entity.too.large') {
      res.status(413).json(body('too_large', 'The request body is too large.'));
      return;
    }
    log.error('request failed', { method: req.method, path: req.path, error });
    res.status(500).json(body('internal', 'Something went wrong on our side; the error is logged. Try again in a moment.'));
  };
}
