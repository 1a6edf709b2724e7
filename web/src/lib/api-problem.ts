import { ApiRequestError } from '../api/index.js';
import { errorMessage } from './format.js';

/** A refusal as a form keeps it: the HTTP status (0 unreachable), the API's stable code to act on, and its message to show. */
export interface ApiProblem {
  status: number;
  code: string;
  message: string;
}

export function apiProblem(error: unknown): ApiProblem {
  return error instanceof ApiRequestError ? { status: error.status, code: error.code, message: error.message } : { status: 0, code: 'unknown', message: errorMessage(error) };
}
