// Turns any error into { error: { code, message, details } } with the right status. Bad input
// is a 4xx with a reason; anything unexpected is a 500 that is logged, never a crash.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../db/availability';
import { AppError } from '../errors';
import type { Logger } from '../logger';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/** Seconds a client should wait before retrying while the database is away. */
const RETRY_AFTER_SECONDS = 2;

export function errorHandler(logger: Logger): ErrorRequestHandler {
  let lastUnavailableLog = 0;
  return (err: unknown, req, res, _next) => {
    let status = 500;
    let body: { code: string; message: string; details?: unknown };
    const bp = err as BodyParserError;
    if (err instanceof AppError) {
      status = err.status;
      body = { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) };
    } else if (bp?.type === 'entity.too.large') {
      status = 413;
      body = { code: 'payload_too_large', message: `The request body is larger than the limit of ${bp.limit} bytes` };
    } else if (bp?.type === 'entity.parse.failed') {
      status = 400;
      body = { code: 'invalid_json', message: 'The request body is not valid JSON' };
    } else if (bp?.type === 'encoding.unsupported' || bp?.type === 'charset.unsupported') {
      status = 415;
      body = { code: 'unsupported_encoding', message: 'The request body encoding is not supported' };
    } else if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500) {
      status = bp.status;
      body = { code: 'bad_request', message: err instanceof Error ? err.message : 'Bad request' };
    } else if (isDatabaseUnavailable(err)) {
      // A restart or failover, not a fault of the request: the client retries (logged once a few seconds, not per request).
      status = 503;
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      body = { code: 'database_unavailable', message: `The database is not reachable right now (restarting?); try again in ${RETRY_AFTER_SECONDS} seconds` };
      if (Date.now() - lastUnavailableLog > 5_000) {
        lastUnavailableLog = Date.now();
        logger.warn({ err: err instanceof Error ? err.message : String(err), method: req.method, url: req.originalUrl }, 'database unavailable: answering 503');
      }
    } else {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
      const requestId = res.getHeader('x-request-id');
      body = { code: 'internal_error', message: `Something went wrong on our side; it has been logged${requestId ? ` (request ${String(requestId)})` : ''}` };
    }
    if (res.headersSent) return;
    res.status(status).json({ error: body });
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `No route for ${req.method} ${req.path}` } });
};
