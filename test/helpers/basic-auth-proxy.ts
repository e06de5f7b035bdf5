import { startReverseProxy, type ProxiedRequest, type ProxyAnswer, type ReverseProxy, type ReverseProxyOptions } from './reverse-proxy';

/** The user a Basic gate lets through; `password` is read on each request, so it can change. */
export interface BasicCredentials {
  realm: string;
  username: string;
  password(): string;
}

/** Whether the request carries `Authorization: Basic` with exactly these credentials. */
export function hasBasicCredentials(request: ProxiedRequest, credentials: BasicCredentials): boolean {
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(0, colon) === credentials.username && decoded.slice(colon + 1) === credentials.password();
}

/** The 401 a Basic-protected server sends. */
export function basicChallenge(realm: string): ProxyAnswer {
  return {
    status: 401,
    headers: { 'www-authenticate': `Basic realm="${realm}", charset="UTF-8"`, 'content-type': 'text/plain; charset=utf-8' },
    body: Buffer.from('Authentication required\n'),
  };
}

/**
 * A reverse proxy that answers 401 unless the request has the Basic credentials, as an nginx
 * `auth_basic` location in front of a server without authentication of its own (Xandikos) does.
 * Every path is protected, /.well-known/caldav included. `intercept` runs after the check.
 */
export function startBasicAuthProxy(options: ReverseProxyOptions & { credentials: BasicCredentials }): Promise<ReverseProxy> {
  return startReverseProxy({
    ...options,
    intercept: (request) => (hasBasicCredentials(request, options.credentials) ? options.intercept?.(request) : basicChallenge(options.credentials.realm)),
  });
}
