/** One entry of Google's `error.errors[]`. */
export interface GoogleErrorItem {
  domain: string;
  reason: string;
  message: string;
  location?: string;
  locationType?: string;
}

/** An error as the emulator sends it: HTTP status plus Google's JSON envelope. */
export interface GoogleError {
  status: number;
  body: { error: { code: number; message: string | null; errors?: GoogleErrorItem[]; status?: string } } | null;
  headers?: Record<string, string>;
}

interface KnownReason {
  status: number;
  domain: string;
  message: string;
  location?: string;
  locationType?: string;
  canonical?: string;
}

/** Reasons with the status, domain and message Drive sends them with (provider-apis.md A6). */
export const KNOWN_REASONS: Readonly<Record<string, KnownReason>> = {
  badRequest: { status: 400, domain: 'global', message: 'Bad Request' },
  invalid: { status: 400, domain: 'global', message: 'Invalid Value' },
  invalidParameter: { status: 400, domain: 'global', message: 'Invalid parameter' },
  keyInvalid: { status: 400, domain: 'usageLimits', message: 'API key not valid. Please pass a valid API key.', canonical: 'INVALID_ARGUMENT' },
  required: { status: 401, domain: 'global', message: 'Login Required', location: 'Authorization', locationType: 'header' },
  forbidden: { status: 403, domain: 'global', message: 'The request is missing a valid API key.', canonical: 'PERMISSION_DENIED' },
  accessNotConfigured: { status: 403, domain: 'usageLimits', message: 'Access Not Configured. Drive API has not been used in project 0 before or it is disabled.' },
  rateLimitExceeded: { status: 403, domain: 'usageLimits', message: 'Rate Limit Exceeded' },
  userRateLimitExceeded: { status: 403, domain: 'usageLimits', message: 'User Rate Limit Exceeded' },
  dailyLimitExceeded: { status: 403, domain: 'usageLimits', message: 'Daily Limit Exceeded' },
  downloadQuotaExceeded: { status: 403, domain: 'global', message: 'The download quota for this file has been exceeded.' },
  quotaExceeded: {
    status: 403,
    domain: 'usageLimits',
    message: 'The download quota for this file has been exceeded',
    location: 'quota.download',
    locationType: 'other',
  },
  cannotDownloadAbusiveFile: { status: 403, domain: 'global', message: 'This file has been identified as malware or spam and cannot be downloaded.' },
  cannotDownloadFile: { status: 403, domain: 'global', message: 'The user does not have permission to download this file.' },
  insufficientFilePermissions: { status: 403, domain: 'global', message: 'The user does not have sufficient permissions for this file.' },
  fileNotDownloadable: {
    status: 403,
    domain: 'global',
    message: 'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
    location: 'alt',
    locationType: 'parameter',
  },
  notFound: { status: 404, domain: 'global', message: 'File not found.', location: 'fileId', locationType: 'parameter' },
  requestedRangeNotSatisfiable: { status: 416, domain: 'global', message: 'Request range not satisfiable' },
  tooManyRequests: { status: 429, domain: 'global', message: 'Resource has been exhausted (e.g. check quota).', canonical: 'RESOURCE_EXHAUSTED' },
  internalError: { status: 500, domain: 'global', message: 'Internal Error' },
  backendError: { status: 503, domain: 'global', message: 'Backend Error' },
};

const DEFAULT_REASON_BY_STATUS: Record<number, string> = {
  400: 'badRequest',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  416: 'requestedRangeNotSatisfiable',
  429: 'tooManyRequests',
  500: 'internalError',
  502: 'backendError',
  503: 'backendError',
  504: 'backendError',
};

/**
 * Google's error for a reason and/or status. A 429 goes out with reason `rateLimitExceeded`, as Workspace
 * APIs send it; unknown reasons need a status.
 */
export function googleError(spec: { reason?: string; status?: number; message?: string; location?: string; locationType?: string }): GoogleError {
  const reason = spec.reason ?? DEFAULT_REASON_BY_STATUS[spec.status ?? 500] ?? 'backendError';
  const known = KNOWN_REASONS[reason];
  const status = spec.status ?? known?.status ?? 500;
  const message = spec.message ?? known?.message ?? reason;
  const location = spec.location ?? known?.location;
  const locationType = spec.locationType ?? known?.locationType;
  const item: GoogleErrorItem = {
    domain: known?.domain ?? 'global',
    reason: reason === 'tooManyRequests' ? 'rateLimitExceeded' : reason,
    message,
    ...(location ? { location } : {}),
    ...(locationType ? { locationType } : {}),
  };
  return {
    status,
    body: { error: { code: status, message, errors: [item], ...(known?.canonical ? { status: known.canonical } : {}) } },
  };
}

/** 404 as Drive sends it for a missing or private item, or one whose resource key was not sent. */
export function notFound(id: string): GoogleError {
  return googleError({ reason: 'notFound', message: `File not found: ${id}.` });
}

/** 400 for a bad parameter value. */
export function invalidParameter(location: string, message = 'Invalid Value', reason = 'invalid'): GoogleError {
  return googleError({ reason, message, location, locationType: 'parameter' });
}
