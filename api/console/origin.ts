/** Same-origin checks for the console's state-changing requests (with the CSRF token, defence in depth). */
import type { FastifyRequest } from 'fastify';

/**
 * False when the browser says the request came from another site: `Sec-Fetch-Site: cross-site`
 * or an `Origin` whose host is not this one. Requests without either header (curl, old browsers)
 * rely on the CSRF token alone.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** `next` if it is a path on this site (`/…`, never `//host` or a scheme), else `/`. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])[^\s]*$/.test(next) || next.length > 500) return '/';
  return next;
}
