// Whether an error means "the database cannot be reached right now" (restarting, failing
// over, the network cut) rather than a fault in the request: those answer 503 with
// Retry-After and are waited out at start, never a 500 or an exit.
const CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', // admin shutdown, crash shutdown, cannot connect now (starting up)
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '53300', // too many connections
  'P1001', 'P1002', 'P1008', 'P1017', // Prisma: cannot reach, timed out, server closed the connection
]);
const MESSAGES = /Connection terminated|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|terminating connection due to administrator command|Can't reach database server|timeout exceeded when trying to connect|Timed out fetching a new connection|Client has encountered a connection error|server closed the connection unexpectedly|connect ECONNREFUSED/i;

/**
 * At start, also a database that does not exist yet (a server up before its provisioning created
 * it): waited for, with the reason in each "waiting for PostgreSQL" line, rather than exiting.
 */
export const isDatabaseNotReady = (err: unknown): boolean => isDatabaseUnavailable(err) || (err as { code?: unknown })?.code === '3D000';

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++) {
    const x = e as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown; kind?: unknown };
    if (typeof x.code === 'string' && CODES.has(x.code)) return true;
    if (typeof x.originalCode === 'string' && CODES.has(x.originalCode)) return true;
    if (typeof x.message === 'string' && MESSAGES.test(x.message)) return true;
    e = x.cause;
  }
  return false;
}
