// The queues of the inbox and the jobs they carry. A job carries ids only: the database row
// it names is the source of truth.

export const QUEUES = {
  inbound: 'inbound',
  outbound: 'outbound',
  /** Drain the routing outbox (routing_events). */
  routing: 'routing',
  /** A moment when service-level due times (or a snooze end) fall: sweep what is due. */
  timers: 'timers',
  /** Account-wide outbound webhooks: one job per delivery attempt. */
  webhooks: 'webhooks',
  /** Long work on contacts: CSV imports, erasures. */
  contacts: 'contacts',
} as const;

/** The receipts accepted together: one job per intake batch keeps queue overhead per message small. */
export interface InboundJob {
  receiptIds: string[];
}

export interface OutboundJob {
  messageId: string;
}

/** A sweep at a moment when something falls due (one job per second, whatever falls due in it). */
export interface TimerJob {
  /** Only this conversation (older jobs named one). */
  conversationId?: string;
}

/** A contact import (contact_imports row) to run. */
export interface ContactsJob {
  importId: string;
}
