-- DropIndex
DROP INDEX "report_rollup_deltas_dimension_day_idx";

-- DropIndex
DROP INDEX "report_rollups_read_idx";

-- AlterTable
ALTER TABLE "report_rollup_deltas" ADD COLUMN     "time_zone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "report_rollups" DROP CONSTRAINT "report_rollups_pkey",
ADD COLUMN     "time_zone" TEXT NOT NULL DEFAULT 'UTC',
ADD CONSTRAINT "report_rollups_pkey" PRIMARY KEY ("dimension", "time_zone", "day", "inbox_id", "key", "bucket");

-- CreateTable
CREATE TABLE "report_time_zones" (
    "name" TEXT NOT NULL,
    "ready" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_time_zones_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "report_rollup_deltas_dimension_time_zone_day_idx" ON "report_rollup_deltas"("dimension", "time_zone", "day");

-- CreateIndex
CREATE INDEX "report_rollups_read_idx" ON "report_rollups"("dimension", "time_zone", "day", "inbox_id", "key", "bucket", "n", "resolved", "total");

-- ---------------------------------------------------------------------------------------------
-- Reports in the reader's own days: the rollups are kept once per time zone listed here (UTC,
-- and each zone an agent reads reports in). Every trigger counts a change once per zone.
INSERT INTO "report_time_zones" ("name", "ready") VALUES ('UTC', true);

-- A zone PostgreSQL does not know would make every write fail in the triggers below.
ALTER TABLE "report_time_zones" ADD CONSTRAINT "report_time_zones_known" CHECK (('2000-01-01 00:00:00+00'::timestamptz AT TIME ZONE name) IS NOT NULL);

DROP FUNCTION report_conversation_deltas(conversations[], conversations[]);
DROP FUNCTION report_conversation_rows(conversations);

CREATE FUNCTION report_conversation_rows(c conversations, tz text)
  RETURNS TABLE (day date, inbox_id uuid, dimension text, key text, bucket smallint, n bigint, resolved bigint, total double precision)
  LANGUAGE sql STABLE AS $$
  SELECT (c.created_at AT TIME ZONE tz)::date, c.inbox_id, 'conversations', coalesce(c.complaint_category, 'unknown'), 0::smallint, 1::bigint, (c.resolved_at IS NOT NULL)::int::bigint, 0::float8
  UNION ALL
  SELECT (c.created_at AT TIME ZONE tz)::date, c.inbox_id, 'agent', c.assignee_id::text, 0::smallint, 1, (c.resolved_at IS NOT NULL)::int, 0 WHERE c.assignee_id IS NOT NULL
  UNION ALL
  SELECT (c.created_at AT TIME ZONE tz)::date, c.inbox_id, 'team', c.team_id::text, 0::smallint, 1, (c.resolved_at IS NOT NULL)::int, 0 WHERE c.team_id IS NOT NULL
  UNION ALL
  SELECT (c.sla_breached_for AT TIME ZONE tz)::date, c.inbox_id, 'sla', '', 0::smallint, 1, 0, 0 WHERE c.sla_breached_for IS NOT NULL
  UNION ALL
  SELECT (c.created_at AT TIME ZONE tz)::date, c.inbox_id, 'first_response', '', report_bucket(extract(epoch FROM c.first_response_at - c.created_at) / 60), 1, 0, 0
   WHERE c.first_response_at IS NOT NULL
  UNION ALL
  SELECT (c.created_at AT TIME ZONE tz)::date, c.inbox_id, 'agent_first_response', c.assignee_id::text, 0::smallint, 1, 0, extract(epoch FROM c.first_response_at - c.created_at)::float8 / 60
   WHERE c.first_response_at IS NOT NULL AND c.assignee_id IS NOT NULL
  UNION ALL
  SELECT (c.created_at AT TIME ZONE tz)::date, c.inbox_id, 'resolution', '', report_bucket(extract(epoch FROM c.resolved_at - c.created_at) / 60), 1, 0, 0
   WHERE c.resolved_at IS NOT NULL
$$;

CREATE FUNCTION report_conversation_deltas(olds conversations[], news conversations[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_rollup_deltas (time_zone, day, inbox_id, dimension, key, bucket, n, resolved, total)
  SELECT z.name, r.day, r.inbox_id, r.dimension, r.key, r.bucket, sum(s.sign * r.n), sum(s.sign * r.resolved), sum(s.sign * r.total)
    FROM (SELECT -1 AS sign, o AS c FROM unnest(olds) AS o UNION ALL SELECT 1, n FROM unnest(news) AS n) s
   CROSS JOIN report_time_zones z
   CROSS JOIN LATERAL report_conversation_rows(s.c, z.name) r
   GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(s.sign * r.n) <> 0 OR sum(s.sign * r.resolved) <> 0 OR sum(s.sign * r.total) <> 0
$$;

CREATE OR REPLACE FUNCTION report_messages_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_rollup_deltas (time_zone, day, inbox_id, dimension, n)
  SELECT z.name, (m.sent_at AT TIME ZONE z.name)::date, m.inbox_id, 'messages', count(*)
    FROM new_rows m CROSS JOIN report_time_zones z WHERE m.direction = 'inbound' GROUP BY 1, 2, 3;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_signals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_rollup_deltas (time_zone, day, inbox_id, dimension, key, n, total)
  SELECT z.name, (m.sent_at AT TIME ZONE z.name)::date, m.inbox_id, 'sentiment', s.sentiment_label, count(*), sum(s.sentiment_score)
    FROM new_rows s JOIN messages m ON m.id = s.message_id CROSS JOIN report_time_zones z
   WHERE m.direction = 'inbound'
   GROUP BY 1, 2, 3, 5;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_message_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.direction = 'inbound' THEN
    INSERT INTO report_rollup_deltas (time_zone, day, inbox_id, dimension, n)
    SELECT z.name, (OLD.sent_at AT TIME ZONE z.name)::date, OLD.inbox_id, 'messages', -1 FROM report_time_zones z;
    INSERT INTO report_rollup_deltas (time_zone, day, inbox_id, dimension, key, n, total)
    SELECT z.name, (OLD.sent_at AT TIME ZONE z.name)::date, OLD.inbox_id, 'sentiment', s.sentiment_label, -1, -s.sentiment_score
      FROM message_signals s CROSS JOIN report_time_zones z WHERE s.message_id = OLD.id;
  END IF;
  RETURN OLD;
END $$;

-- One zone's rollups from the rows themselves (the caller holds writers off).
CREATE FUNCTION report_rollups_fill(tz text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_rollups (time_zone, day, inbox_id, dimension, key, bucket, n, resolved, total)
  SELECT tz, day, inbox_id, dimension, key, bucket, sum(n), sum(resolved), sum(total) FROM (
    SELECT r.day, r.inbox_id, r.dimension, r.key, r.bucket, r.n, r.resolved, r.total FROM conversations c CROSS JOIN LATERAL report_conversation_rows(c, tz) r
    UNION ALL
    SELECT (sent_at AT TIME ZONE tz)::date, inbox_id, 'messages', '', 0, 1, 0, 0 FROM messages WHERE direction = 'inbound'
    UNION ALL
    SELECT (m.sent_at AT TIME ZONE tz)::date, m.inbox_id, 'sentiment', s.sentiment_label, 0, 1, 0, s.sentiment_score
      FROM message_signals s JOIN messages m ON m.id = s.message_id WHERE m.direction = 'inbound'
  ) x
  GROUP BY day, inbox_id, dimension, key, bucket
$$;

-- Rebuilds every zone's rollups (after a bulk load with the triggers off, or to check them):
-- holds writers off meanwhile, so nothing is counted twice or missed. The compaction lock
-- (src/inbox/reports/rollups.ts) keeps the worker's folding out of the way.
CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727364017);
  LOCK TABLE conversations, messages, message_signals IN SHARE MODE;
  DELETE FROM report_rollup_deltas;
  DELETE FROM report_rollups;
  PERFORM report_rollups_fill(name) FROM report_time_zones;
  UPDATE report_time_zones SET ready = true WHERE NOT ready;
END $$;
