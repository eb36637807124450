/**
 * Every failure as the API's error body (`{"error": {"code", "message", …}}`): our ApiErrors as
 * they are, fastify's body and routing errors as their stable codes, Temporal being unreachable
 * as 503 `unavailable`, and anything else as 500 `internal` with the request id (logged).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError, ErrorCode, isTemporalUnreachable, unavailable } from '../errors.js';

/** Installs the not-found and error handlers; `bodyLimit` is named in the 413 message. */
export function installErrorHandlers(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(new ApiError(404, ErrorCode.NotFound, `no route ${req.method} ${req.url.split('?')[0]}`).toBody());
  });

  fastify.setErrorHandler((error: FastifyError | ApiError | Error, req, reply) => {
    if (error instanceof ApiError) {
      if (typeof error.details.retryAfter === 'number') void reply.header('retry-after', String(error.details.retryAfter));
      return reply.code(error.statusCode).send(error.toBody());
    }
    const code = (error as FastifyError).code;
    const status = (error as FastifyError).statusCode;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(new ApiError(413, ErrorCode.PayloadTooLarge, `request body is over ${bodyLimit} bytes`).toBody());
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply
        .code(415)
        .send(new ApiError(415, ErrorCode.UnsupportedMediaType, 'send the body as JSON with `Content-Type: application/json`').toBody());
    }
    if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return reply.code(400).send(new ApiError(400, ErrorCode.InvalidJson, `request body is not valid JSON: ${error.message}`).toBody());
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const apiCode = status === 405 ? ErrorCode.MethodNotAllowed : status === 404 ? ErrorCode.NotFound : ErrorCode.InvalidRequest;
      return reply.code(status).send(new ApiError(status, apiCode, error.message).toBody());
    }
    if (isTemporalUnreachable(error) || error.name === 'ServiceError') {
      req.log.warn({ err: error }, 'Temporal unavailable');
      const answer = unavailable();
      return reply.code(503).header('retry-after', String(answer.details.retryAfter)).send(answer.toBody());
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(new ApiError(500, ErrorCode.Internal, `internal error (request ${req.id})`).toBody());
  });
}
