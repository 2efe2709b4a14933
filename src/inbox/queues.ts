// The queues of the inbox and the jobs they carry. A job carries ids only: the database row
// it names is the source of truth.

export const QUEUES = {
  inbound: 'inbound',
  outbound: 'outbound',
  /** Drain the routing outbox (routing_events). */
  routing: 'routing',
  /** A service-level due time or a snooze end to look at. */
  timers: 'timers',
} as const;

/** The receipts accepted together: one job per intake batch keeps queue overhead per message small. */
export interface InboundJob {
  receiptIds: string[];
}

export interface OutboundJob {
  messageId: string;
}

export interface TimerJob {
  conversationId: string;
}
