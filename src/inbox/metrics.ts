// The inbox's own metrics beside the process's: HTTP (platform/metrics.ts), the queue's depth,
// the backlog and its age as PostgreSQL sees it, pipeline batches, routing lag, agents'
// sockets, sends and failures per channel, and the pulling channels' readers.
import type { Metrics } from '../platform/metrics';
import { QUEUES } from './queues';
import type { InboxServices } from './services';

export interface InboxMetrics {
  pipelineBatch(size: number, seconds: number): void;
  send(channel: string, outcome: 'sent' | 'failed'): void;
}

export function inboxMetrics(m: Metrics, s: InboxServices, live: { sockets?: () => number; readers?: () => { running: number; failing: number } }): InboxMetrics {
  m.gauge('inbox_queue_jobs', 'Jobs waiting, delayed or running, per queue', ['queue'], async () =>
    Promise.all(Object.values(QUEUES).map(async (queue) => ({ labels: { queue }, value: await s.queue.count(queue) }))),
  );
  // The backlog as the source of truth sees it: accepted messages not yet threaded, and the oldest one's age.
  m.gauge('inbox_pending_messages', 'Accepted inbound messages not yet threaded and scored', [], async () => {
    const { rows } = await s.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_receipts WHERE status = 'pending'`);
    return Number(rows[0]!.n);
  });
  m.gauge('inbox_pending_oldest_age_seconds', 'Age of the oldest accepted message not yet threaded (0: none)', [], async () => {
    const { rows } = await s.db.pool.query<{ age: number | null }>(`SELECT EXTRACT(EPOCH FROM now() - min(received_at))::float8 AS age FROM inbound_receipts WHERE status = 'pending'`);
    return rows[0]!.age ?? 0;
  });
  m.gauge('inbox_routing_lag_seconds', 'Age of the oldest routing event not yet handled (0: none)', [], async () => {
    const { rows } = await s.db.pool.query<{ age: number | null }>(`SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age FROM routing_events`);
    return rows[0]!.age ?? 0;
  });
  m.gauge('inbox_outbound_queued', 'Replies waiting to be sent', [], async () => {
    const { rows } = await s.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE delivery_status = 'queued'`);
    return Number(rows[0]!.n);
  });
  if (live.sockets) {
    const sockets = live.sockets;
    m.gauge('inbox_agent_sockets', 'Agents\u2019 live connections to this web process', [], async () => sockets());
  }
  if (live.readers) {
    const readers = live.readers;
    m.gauge('inbox_channel_readers', 'Pulling channel readers (IMAP, X) in this worker, by state', ['state'], async () => {
      const h = readers();
      return [{ labels: { state: 'running' }, value: h.running }, { labels: { state: 'failing' }, value: h.failing }];
    });
  }
  m.gauge('inbox_channel_dead_letters', 'Inbound items kept aside as unreadable, per inbox kind', ['channel'], async () => {
    const { rows } = await s.db.pool.query<{ kind: string; n: string }>(`SELECT i.kind::text AS kind, count(*) AS n FROM channel_dead_letters d JOIN inboxes i ON i.id = d.inbox_id GROUP BY i.kind`);
    return rows.map((r) => ({ labels: { channel: r.kind }, value: Number(r.n) }));
  });
  const batchSize = m.histogram('inbox_pipeline_batch_size', 'Inbound messages threaded per pipeline batch', [1, 2, 4, 8, 16, 32, 64, 128, 256]);
  const batchSeconds = m.histogram('inbox_pipeline_batch_duration_seconds', 'How long a pipeline batch took (threading, scoring, one transaction)', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  const sends = m.counter('inbox_outbound_sends_total', 'Replies handed to a channel, by channel and outcome (a failed attempt that is retried counts as failed)', ['channel', 'outcome']);
  return {
    pipelineBatch: (size, seconds) => {
      batchSize.observe(size);
      batchSeconds.observe(seconds);
    },
    send: (channel, outcome) => sends.inc({ channel, outcome }),
  };
}
