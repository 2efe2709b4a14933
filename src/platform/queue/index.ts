import { BullQueueBackend } from './bullmq';
import { MemoryQueueBackend } from './memory';
import type { QueueBackend, QueueBackendOptions } from './types';

export * from './types';

export function createQueueBackend(options: QueueBackendOptions & { redisUrl?: string; prefix?: string; lockMs?: number }): QueueBackend {
  return options.redisUrl
    ? new BullQueueBackend({ ...options, redisUrl: options.redisUrl, prefix: options.prefix ?? 'inbox' })
    : new MemoryQueueBackend(options);
}
