// Retention per inbox: the content of conversations resolved and untouched for the inbox's
// retentionDays is erased (erase.ts: text, files, raw payloads), 200 at a time with progress in
// the log; their numbers stay for reports. Also forgets dry-run import files after a day.
import type { Database } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';
import type { Logger } from '../../platform/logger';
import type { AttachmentStore } from '../channels/contract';
import { eraseContent, removeUnusedFiles } from './erase';

const BATCH = 200;

export async function applyRetention(s: { db: Database; attachments: AttachmentStore; logger: Logger }, now = new Date()): Promise<{ conversations: number }> {
  const inboxes = await s.db.prisma.inbox.findMany({ where: { retentionDays: { not: null } }, select: { id: true, name: true, retentionDays: true } });
  let total = 0;
  for (const inbox of inboxes) {
    const before = new Date(now.getTime() - inbox.retentionDays! * 86_400_000);
    const due = `FROM conversations WHERE inbox_id = $1 AND status = 'resolved' AND content_erased_at IS NULL AND last_message_at < $2 AND resolved_at < $2`;
    const { rows } = await s.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n ${due}`, [inbox.id, before]);
    const todo = rows[0]!.n;
    if (!todo) continue;
    const log = s.logger.child({ inboxId: inbox.id, retentionDays: inbox.retentionDays });
    log.info({ conversations: todo }, 'retention: erasing the content of old resolved conversations');
    let done = 0;
    for (;;) {
      const erased = await withTransaction(s.db.pool, async (client) => {
        const ids = (await client.query<{ id: string }>(`SELECT id ${due} ORDER BY last_message_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`, [inbox.id, before])).rows.map((r) => r.id);
        if (!ids.length) return null;
        const result = await eraseContent(client, ids);
        await client.query(`INSERT INTO audit_events (type, inbox_id, data) VALUES ('retention.erased', $1, $2::jsonb)`, [inbox.id, JSON.stringify({ conversations: result.conversations, messages: result.messages, attachments: result.attachments, retentionDays: inbox.retentionDays })]);
        return result;
      });
      if (!erased) break;
      await removeUnusedFiles(s.db, s.attachments, erased.storageKeys);
      done += erased.conversations;
      log.info({ erased: done, of: todo }, 'retention progress');
    }
    total += done;
  }
  await s.db.pool.query(`UPDATE contact_imports SET csv = NULL WHERE dry_run AND csv IS NOT NULL AND finished_at < $1`, [new Date(now.getTime() - 86_400_000)]);
  return { conversations: total };
}
