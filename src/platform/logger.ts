import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-context';

export type { Logger };

/** Structured logs (JSON); human-readable lines when a person is watching a terminal. */
export function createLogger(options: { level: string; pretty?: boolean; name?: string; destination?: DestinationStream }): Logger {
  const pretty = !options.destination && (options.pretty ?? (process.stdout.isTTY && process.env.NODE_ENV !== 'production'));
  const settings: pino.LoggerOptions = {
    level: options.level,
    name: options.name,
    // The request (or the job a request added) each line belongs to.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
