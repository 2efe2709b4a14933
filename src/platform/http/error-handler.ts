// Turns any error into { error: { code, message, details } } with the right status. Bad input
// is a 4xx with a reason; anything unexpected is a 500 that is logged, never a crash.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors';
import type { Logger } from '../logger';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
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
    } else {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
      body = { code: 'internal_error', message: 'Something went wrong on our side; it has been logged' };
    }
    if (res.headersSent) return;
    res.status(status).json({ error: body });
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `No route for ${req.method} ${req.path}` } });
};
