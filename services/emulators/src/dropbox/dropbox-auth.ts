import type { Request } from 'express';
import type { DropboxRoute } from './dropbox-faults.js';
import { badInput, DropboxRejection } from './dropbox-responses.js';

/** Who may call: user access tokens (Bearer) and app key/secret pairs (Basic). */
export interface DropboxCredentials {
  accessTokens?: readonly string[];
  apps?: readonly { key: string; secret: string }[];
}

/** Dropbox's auth rules: 400 plain text without a usable Authorization header, 401 JSON for a token or app it does not know. */
export function dropboxAuthorizer(credentials: DropboxCredentials): (req: Request, route: DropboxRoute) => void {
  const tokens = new Set(credentials.accessTokens ?? []);
  const apps = new Map((credentials.apps ?? []).map((a) => [a.key, a.secret]));
  return (req, route) => {
    const header = req.get('authorization');
    if (!header) throw badInput(route, 'Must provide HTTP header "Authorization" or URL parameter "authorization".');
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme === 'Bearer') {
      if (!value) throw badInput(route, `Invalid authorization value in HTTP header "Authorization": "${header}". Expecting "Bearer <oauth2-access-token>".`);
      if (!tokens.has(value)) throw new DropboxRejection(401, { error_summary: 'invalid_access_token/...', error: { '.tag': 'invalid_access_token' } });
      return;
    }
    if (scheme === 'Basic') {
      const [key, secret] = Buffer.from(value, 'base64').toString('utf8').split(':', 2);
      if (!key || apps.get(key) !== secret) throw new DropboxRejection(401, { error_summary: 'invalid_access_token/..', error: { '.tag': 'invalid_access_token' } });
      return;
    }
    throw badInput(route, `Invalid authorization value in HTTP header "Authorization": "${header}".`);
  };
}
