import { PUBLIC_JSON_MAX_BYTES } from './limits.js';
import { SOURCE_ENTRIES, type SOURCE_CATALOGUE, type SourceKind } from './source-catalogue.js';

/**
 * The public API's route table: what `api` mounts, what the web gateway forwards (nothing else) and what the
 * OpenAPI document lists. A `{name}` in a path is one segment of unreserved characters; everything else is literal.
 */
export interface PublicRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The largest body the route takes, checked at the door; routes without one take none worth forwarding (1 MB). */
  readonly maxBodyBytes?: number;
  /** Who may call it: anyone, a signed-in user (the default), or an administrator. */
  readonly access?: RouteAccess;
}

/** `anonymous` routes answer without a session or key; `user` ones need either (else 401); `admin` ones an administrator (else 404). */
export type RouteAccess = 'anonymous' | 'user' | 'admin';

type Catalogue = typeof SOURCE_CATALOGUE;

/** Each source's import route, from its catalogue entry: a POST of the entry's path. */
type SourceImportRoutes = { readonly [K in SourceKind as Catalogue[K]['route']]: PublicRoute & { readonly method: 'POST'; readonly path: Catalogue[K]['path'] } };

const SOURCE_IMPORT_ROUTES = Object.fromEntries(
  SOURCE_ENTRIES.map(({ route, path, maxBodyBytes }) => [route, { method: 'POST', path, ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }) }]),
) as SourceImportRoutes;

export const PublicRoutes = {
  ...SOURCE_IMPORT_ROUTES,
  listJobs: { method: 'GET', path: '/import/jobs' },
  getJob: { method: 'GET', path: '/import/jobs/{job_id}' },
  listJobFiles: { method: 'GET', path: '/import/jobs/{job_id}/files' },
  cancelJob: { method: 'POST', path: '/import/jobs/{job_id}/cancel' },
  retryJob: { method: 'POST', path: '/import/jobs/{job_id}/retry' },
  listImages: { method: 'GET', path: '/images' },
  getImage: { method: 'GET', path: '/images/{id}' },
  getImageContent: { method: 'GET', path: '/images/{id}/content' },
  getImageThumbnail: { method: 'GET', path: '/images/{id}/thumbnail' },
  authStatus: { method: 'GET', path: '/auth/status', access: 'anonymous' },
  setup: { method: 'POST', path: '/auth/setup', access: 'anonymous' },
  signIn: { method: 'POST', path: '/auth/sign-in', access: 'anonymous' },
  signUp: { method: 'POST', path: '/auth/sign-up', access: 'anonymous' },
  signOut: { method: 'POST', path: '/auth/sign-out', access: 'anonymous' },
  oidcStart: { method: 'GET', path: '/auth/oidc/start', access: 'anonymous' },
  oidcCallback: { method: 'GET', path: '/auth/oidc/callback', access: 'anonymous' },
  getAccount: { method: 'GET', path: '/account' },
  changePassword: { method: 'POST', path: '/account/password' },
  listApiKeys: { method: 'GET', path: '/account/api-keys' },
  createApiKey: { method: 'POST', path: '/account/api-keys' },
  revokeApiKey: { method: 'POST', path: '/account/api-keys/{key_id}/revoke' },
  getWebhookSecret: { method: 'GET', path: '/account/webhook-secret' },
  rotateWebhookSecret: { method: 'POST', path: '/account/webhook-secret/rotate' },
  listUsers: { method: 'GET', path: '/admin/users', access: 'admin' },
  createUser: { method: 'POST', path: '/admin/users', access: 'admin' },
  disableUser: { method: 'POST', path: '/admin/users/{user_id}/disable', access: 'admin' },
  enableUser: { method: 'POST', path: '/admin/users/{user_id}/enable', access: 'admin' },
  health: { method: 'GET', path: '/health', access: 'anonymous' },
  openApi: { method: 'GET', path: '/openapi.json', access: 'anonymous' },
} as const satisfies Record<string, PublicRoute>;

export type PublicRouteName = keyof typeof PublicRoutes;

/** Who may call a route. */
export function routeAccess(name: PublicRouteName): RouteAccess {
  const route: PublicRoute = PublicRoutes[name];
  return route.access ?? 'user';
}

/** The largest body a route takes: its own bound, or a public JSON body's. */
export function maxBodyBytes(name: PublicRouteName): number {
  const route: PublicRoute = PublicRoutes[name];
  return route.maxBodyBytes ?? PUBLIC_JSON_MAX_BYTES;
}

/** A path parameter: one segment of RFC 3986 unreserved characters (ids are UUIDs), never `.` or `..`. */
const PARAMETER_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._~-]{1,128}$/;

function segments(path: string): string[] {
  return path.split('/').slice(1);
}

/** The route's path in express's syntax: `/import/jobs/:job_id`. */
export function expressPath(route: PublicRoute): string {
  return route.path.replace(/\{(\w+)\}/g, ':$1');
}

/** The route a canonical path (see the gateway's normalisation) and method belong to; HEAD is answered like GET. */
export function matchPublicRoute(method: string, path: string): PublicRouteName | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const parts = segments(path);
  for (const [name, route] of Object.entries(PublicRoutes) as [PublicRouteName, PublicRoute][]) {
    if (route.method !== wanted) continue;
    const pattern = segments(route.path);
    if (pattern.length !== parts.length) continue;
    if (pattern.every((p, i) => (p.startsWith('{') ? PARAMETER_SEGMENT.test(parts[i] ?? '') : p === parts[i]))) return name;
  }
  return undefined;
}

/** The methods the table has for a path, whatever the request's method: for a 405's `Allow`. */
export function allowedMethods(path: string): PublicRoute['method'][] {
  return (['GET', 'POST'] as const).filter((method) => matchPublicRoute(method, path) !== undefined);
}

/**
 * The table as Dapr access-control operations. daprd matches an operation as a path prefix (the first operation
 * found along the path decides) and takes `*` only as a last segment, so each route becomes its literal start, and
 * a start that another one begins with takes that one's methods.
 */
export function accessControlOperations(): { name: string; httpVerb: string[] }[] {
  const verbs = new Map<string, Set<string>>();
  for (const route of Object.values(PublicRoutes) as PublicRoute[]) {
    const parts = segments(route.path);
    const firstParameter = parts.findIndex((p) => p.startsWith('{'));
    const name = `/${(firstParameter < 0 ? parts : parts.slice(0, firstParameter)).join('/')}`;
    const set = verbs.get(name) ?? new Set<string>();
    set.add(route.method);
    if (route.method === 'GET') set.add('HEAD');
    verbs.set(name, set);
  }
  const names = [...verbs.keys()];
  // The shortest start that covers a name, so a chain of nested starts all lands on the outermost.
  const covering = (name: string) => names.filter((other) => name.startsWith(`${other}/`)).sort((a, b) => a.length - b.length)[0];
  for (const name of names) {
    const wider = covering(name);
    if (wider === undefined) continue;
    for (const verb of verbs.get(name) ?? []) verbs.get(wider)?.add(verb);
    verbs.delete(name);
  }
  return [...verbs].map(([name, set]) => ({ name, httpVerb: [...set].sort() })).sort((a, b) => a.name.localeCompare(b.name));
}
