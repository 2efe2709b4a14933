// A request id follows the work a request starts: every log line written while serving it, and
// the queue jobs it adds (and their log lines in a worker, however much later). Given by the
// caller in X-Request-Id (a proxy's, a client's) or made here, and sent back in the answer.
import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';

const store = new AsyncLocalStorage<string>();
const VALID = /^[\w.:-]{1,100}$/;

export const currentRequestId = (): string | undefined => store.getStore();

/** Runs `fn` as part of the request `id` (nothing changes when there is none). */
export const withRequestId = <T>(id: unknown, fn: () => T): T => (typeof id === 'string' && VALID.test(id) ? store.run(id, fn) : fn());

/** Express middleware: after the body parsers (their callbacks run outside the request's async context). */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && VALID.test(given) ? given : crypto.randomUUID();
    res.setHeader('x-request-id', id);
    store.run(id, next);
  };
}

/** A job's data with the current request id added, so its worker logs under it too. */
export function withRequestIdOf<T>(data: T): T {
  const id = store.getStore();
  if (!id || typeof data !== 'object' || data === null || Array.isArray(data) || 'requestId' in data) return data;
  return { ...data, requestId: id };
}

export const requestIdOf = (data: unknown): unknown => (typeof data === 'object' && data !== null ? (data as { requestId?: unknown }).requestId : undefined);
