// A typed, in-process publish/subscribe bus. Writes emit after they commit; side effects
// (realtime broadcast, routing, webhooks, reports) subscribe, so adding one never edits a
// write path. A failing subscriber is logged and never breaks the write or other subscribers.
import type { Logger } from './logger';

type Handler<E> = (event: E) => void | Promise<void>;

export class EventBus<E extends { type: string }> {
  private handlers = new Map<string, Array<Handler<E>>>();
  private pending = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  on<T extends E['type']>(type: T, handler: Handler<Extract<E, { type: T }>>): () => void;
  on(type: '*', handler: Handler<E>): () => void;
  on(type: string, handler: Handler<never>): () => void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as Handler<E>);
    this.handlers.set(type, list);
    return () => {
      const l = this.handlers.get(type);
      if (l) l.splice(l.indexOf(handler as Handler<E>), 1);
    };
  }

  emit(event: E): void {
    for (const handler of [...(this.handlers.get(event.type) ?? []), ...(this.handlers.get('*') ?? [])]) {
      try {
        const r = handler(event);
        if (r && typeof (r as Promise<void>).then === 'function') {
          const p = (r as Promise<void>).catch((err: unknown) => this.logger.error({ err, event: event.type }, 'event subscriber failed'));
          this.pending.add(p);
          void p.finally(() => this.pending.delete(p));
        }
      } catch (err) {
        this.logger.error({ err, event: event.type }, 'event subscriber failed');
      }
    }
  }

  /** Waits for asynchronous subscribers that are still running (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
