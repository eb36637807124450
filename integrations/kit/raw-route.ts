/**
 * A vendor's inbound route whose body stays exactly the bytes received: signatures are computed
 * over the raw body, so it must not be parsed first. The route lives in its own encapsulated
 * fastify scope; the raw parsers never reach the agent API's routes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface RawRoute<Body> {
  /** e.g. `/webhooks/zendesk`. */
  path: string;
  /** Content types accepted (default `application/json`); any other answers 415. */
  contentTypes?: readonly string[];
  /** `buffer` for byte-exact HMACs; `string` when the vendor signs text. */
  as: Body extends Buffer ? 'buffer' : 'string';
  handler(req: FastifyRequest, reply: FastifyReply, body: Body): Promise<FastifyReply | void> | FastifyReply | void;
}

/** Mounts `POST route.path` in its own scope. */
export async function mountRawPost<Body extends Buffer | string>(app: FastifyInstance, route: RawRoute<Body>): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser([...(route.contentTypes ?? ['application/json'])], { parseAs: route.as }, (_req, body, done) => done(null, body));
    scope.post(route.path, async (req, reply) => {
      const body = (req.body ?? (route.as === 'buffer' ? Buffer.alloc(0) : '')) as Body;
      return route.handler(req, reply, body);
    });
  });
}

/** A header's single value (the first, when a client sent it twice). */
export function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
