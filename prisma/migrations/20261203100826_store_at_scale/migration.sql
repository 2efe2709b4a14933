-- Trigram search (ships with PostgreSQL; a trusted extension: any role allowed to CREATE in the database may add it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- DropIndex
DROP INDEX "conversations_assignee_id_status_idx";

-- DropIndex
DROP INDEX "conversations_inbox_id_status_priority_idx";

-- DropIndex
DROP INDEX "conversations_status_priority_waiting_since_idx";

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "search_vector" tsvector;

-- CreateTable
CREATE TABLE "report_rollups" (
    "day" DATE NOT NULL,
    "inbox_id" UUID NOT NULL,
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL DEFAULT '',
    "bucket" SMALLINT NOT NULL DEFAULT 0,
    "n" BIGINT NOT NULL DEFAULT 0,
    "resolved" BIGINT NOT NULL DEFAULT 0,
    "total" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "report_rollups_pkey" PRIMARY KEY ("dimension","day","inbox_id","key","bucket")
);

-- CreateTable
CREATE TABLE "report_rollup_deltas" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "inbox_id" UUID NOT NULL,
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL DEFAULT '',
    "bucket" SMALLINT NOT NULL DEFAULT 0,
    "n" BIGINT NOT NULL DEFAULT 0,
    "resolved" BIGINT NOT NULL DEFAULT 0,
    "total" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "report_rollup_deltas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_list_changes" (
    "id" BIGSERIAL NOT NULL,
    "conversation_id" UUID NOT NULL,
    "xid" BIGINT NOT NULL,
    "old_status" "ConversationStatus",
    "old_priority" INTEGER,
    "old_waiting_since" TIMESTAMPTZ(3),
    "old_last_message_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversation_list_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "report_rollup_deltas_dimension_day_idx" ON "report_rollup_deltas"("dimension", "day");

-- CreateIndex
CREATE INDEX "conversation_list_changes_xid_idx" ON "conversation_list_changes"("xid");

-- CreateIndex
CREATE INDEX "conversation_list_changes_created_at_idx" ON "conversation_list_changes" USING BRIN ("created_at");

-- CreateIndex
CREATE INDEX "contact_identities_address_trgm_idx" ON "contact_identities" USING GIN ("address" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "contacts_name_trgm_idx" ON "contacts" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "contacts_email_trgm_idx" ON "contacts" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "contacts_phone_trgm_idx" ON "contacts" USING GIN ("phone" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "conversations_list_idx" ON "conversations"("status", "priority" DESC, "waiting_since", "last_message_at" DESC, "id");

-- CreateIndex
CREATE INDEX "conversations_inbox_list_idx" ON "conversations"("inbox_id", "status", "priority" DESC, "waiting_since", "last_message_at" DESC, "id");

-- CreateIndex
CREATE INDEX "conversations_assignee_list_idx" ON "conversations"("assignee_id", "status", "priority" DESC, "waiting_since", "last_message_at" DESC, "id");

-- CreateIndex
CREATE INDEX "conversations_team_list_idx" ON "conversations"("team_id", "status", "priority" DESC, "waiting_since", "last_message_at" DESC, "id");

-- CreateIndex
CREATE INDEX "conversations_category_list_idx" ON "conversations"("complaint_category", "status", "priority" DESC, "waiting_since", "last_message_at" DESC, "id");

-- CreateIndex
CREATE INDEX "conversations_sentiment_list_idx" ON "conversations"("sentiment_label", "status", "priority" DESC, "waiting_since", "last_message_at" DESC, "id");

-- CreateIndex
CREATE INDEX "conversations_mention_list_idx" ON "conversations"("status", "priority" DESC, "waiting_since", "last_message_at" DESC, "id") WHERE (type = 'mention');

-- CreateIndex
CREATE INDEX "conversations_recent_idx" ON "conversations"("status", "last_message_at" DESC, "id");

-- CreateIndex
CREATE INDEX "conversations_waiting_idx" ON "conversations"("status", "waiting_since", "priority" DESC, "id");


-- CreateIndex
CREATE INDEX "messages_search_idx" ON "messages" USING GIN ("search_vector");

-- A busy inbox inserts messages all day: GIN's pending list would make one insert in many
-- pay for merging it (a latency spike on the pipeline); every insert pays its own share instead.
ALTER INDEX "messages_search_idx" SET (fastupdate = off);

-- ---------------------------------------------------------------------------------------------
-- Search: the words of what people wrote (activity lines are the product's own), any language
-- ('simple': lower-cased, no stemming), without positions (word search, not phrases), the first
-- 100,000 characters. Kept by a trigger so every writer (pipeline, replies, edits) keeps it.
CREATE FUNCTION messages_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := CASE WHEN NEW.direction = 'activity' THEN NULL
                            ELSE strip(to_tsvector('simple', left(coalesce(NEW.subject, '') || ' ' || NEW.text, 100000))) END;
  RETURN NEW;
END $$;

CREATE TRIGGER messages_search_vector BEFORE INSERT OR UPDATE OF text, subject ON "messages"
  FOR EACH ROW EXECUTE FUNCTION messages_search_vector();

UPDATE "messages" SET search_vector = strip(to_tsvector('simple', left(coalesce(subject, '') || ' ' || text, 100000))) WHERE direction <> 'activity';

-- ---------------------------------------------------------------------------------------------
-- Reports' rollups (see ReportRollup in schema.prisma). Statement-level triggers append deltas:
-- one insert per statement whatever its size, and no shared row is locked by a writer.

-- Minutes to a histogram bucket: 0 under a minute, then 10 % wide (1.1^(b-1) <= minutes < 1.1^b).
CREATE FUNCTION report_bucket(minutes double precision) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN minutes IS NULL OR minutes < 1 THEN 0 ELSE least(32000, 1 + floor(ln(minutes) / ln(1.1)))::smallint END
$$;

-- What one conversation counts for in the reports. First response and resolution as
-- histograms for the medians; each agent's first response as a count and a sum of minutes (an
-- average: a histogram per agent, day and inbox was three rows in four of the rollups and made
-- a month's report read a quarter of a million of them).
CREATE FUNCTION report_conversation_rows(c conversations)
  RETURNS TABLE (day date, inbox_id uuid, dimension text, key text, bucket smallint, n bigint, resolved bigint, total double precision)
  LANGUAGE sql IMMUTABLE AS $$
  SELECT (c.created_at AT TIME ZONE 'UTC')::date, c.inbox_id, 'conversations', coalesce(c.complaint_category, 'unknown'), 0::smallint, 1::bigint, (c.resolved_at IS NOT NULL)::int::bigint, 0::float8
  UNION ALL
  SELECT (c.created_at AT TIME ZONE 'UTC')::date, c.inbox_id, 'agent', c.assignee_id::text, 0::smallint, 1, (c.resolved_at IS NOT NULL)::int, 0 WHERE c.assignee_id IS NOT NULL
  UNION ALL
  SELECT (c.created_at AT TIME ZONE 'UTC')::date, c.inbox_id, 'team', c.team_id::text, 0::smallint, 1, (c.resolved_at IS NOT NULL)::int, 0 WHERE c.team_id IS NOT NULL
  UNION ALL
  SELECT (c.sla_breached_for AT TIME ZONE 'UTC')::date, c.inbox_id, 'sla', '', 0::smallint, 1, 0, 0 WHERE c.sla_breached_for IS NOT NULL
  UNION ALL
  SELECT (c.created_at AT TIME ZONE 'UTC')::date, c.inbox_id, 'first_response', '', report_bucket(extract(epoch FROM c.first_response_at - c.created_at) / 60), 1, 0, 0
   WHERE c.first_response_at IS NOT NULL
  UNION ALL
  SELECT (c.created_at AT TIME ZONE 'UTC')::date, c.inbox_id, 'agent_first_response', c.assignee_id::text, 0::smallint, 1, 0, extract(epoch FROM c.first_response_at - c.created_at)::float8 / 60
   WHERE c.first_response_at IS NOT NULL AND c.assignee_id IS NOT NULL
  UNION ALL
  SELECT (c.created_at AT TIME ZONE 'UTC')::date, c.inbox_id, 'resolution', '', report_bucket(extract(epoch FROM c.resolved_at - c.created_at) / 60), 1, 0, 0
   WHERE c.resolved_at IS NOT NULL
$$;

-- The difference between two sets of conversation rows (before and after a statement): what
-- did not change for the reports cancels out and writes nothing.
CREATE FUNCTION report_conversation_deltas(olds conversations[], news conversations[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_rollup_deltas (day, inbox_id, dimension, key, bucket, n, resolved, total)
  SELECT r.day, r.inbox_id, r.dimension, r.key, r.bucket, sum(s.sign * r.n), sum(s.sign * r.resolved), sum(s.sign * r.total)
    FROM (SELECT -1 AS sign, o AS c FROM unnest(olds) AS o UNION ALL SELECT 1, n FROM unnest(news) AS n) s
   CROSS JOIN LATERAL report_conversation_rows(s.c) r
   GROUP BY 1, 2, 3, 4, 5
  HAVING sum(s.sign * r.n) <> 0 OR sum(s.sign * r.resolved) <> 0 OR sum(s.sign * r.total) <> 0
$$;

CREATE FUNCTION report_conversations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_conversation_deltas('{}', (SELECT coalesce(array_agg(n::conversations), '{}') FROM new_rows n));
  RETURN NULL;
END $$;

CREATE FUNCTION report_conversations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_conversation_deltas((SELECT coalesce(array_agg(o::conversations), '{}') FROM old_rows o), (SELECT coalesce(array_agg(n::conversations), '{}') FROM new_rows n));
  RETURN NULL;
END $$;

CREATE FUNCTION report_conversations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_conversation_deltas((SELECT coalesce(array_agg(o::conversations), '{}') FROM old_rows o), '{}');
  RETURN NULL;
END $$;

CREATE TRIGGER report_conversations_inserted AFTER INSERT ON "conversations" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_conversations_inserted();
CREATE TRIGGER report_conversations_updated AFTER UPDATE ON "conversations" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_conversations_updated();
CREATE TRIGGER report_conversations_deleted AFTER DELETE ON "conversations" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_conversations_deleted();

-- Inbound messages by the day they were sent.
CREATE FUNCTION report_messages_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_rollup_deltas (day, inbox_id, dimension, n)
  SELECT (sent_at AT TIME ZONE 'UTC')::date, inbox_id, 'messages', count(*) FROM new_rows WHERE direction = 'inbound' GROUP BY 1, 2;
  RETURN NULL;
END $$;

CREATE TRIGGER report_messages_inserted AFTER INSERT ON "messages" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_messages_inserted();

-- Their sentiment, once scored (the signals are written with the message, or after it).
CREATE FUNCTION report_signals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_rollup_deltas (day, inbox_id, dimension, key, n, total)
  SELECT (m.sent_at AT TIME ZONE 'UTC')::date, m.inbox_id, 'sentiment', s.sentiment_label, count(*), sum(s.sentiment_score)
    FROM new_rows s JOIN messages m ON m.id = s.message_id
   WHERE m.direction = 'inbound'
   GROUP BY 1, 2, 4;
  RETURN NULL;
END $$;

CREATE TRIGGER report_signals_inserted AFTER INSERT ON "message_signals" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_signals_inserted();

-- A message deleted (with its conversation, or erased): its counts go, read before its signals
-- go with it (they are deleted after it, by the foreign key).
CREATE FUNCTION report_message_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.direction = 'inbound' THEN
    INSERT INTO report_rollup_deltas (day, inbox_id, dimension, n) VALUES ((OLD.sent_at AT TIME ZONE 'UTC')::date, OLD.inbox_id, 'messages', -1);
    INSERT INTO report_rollup_deltas (day, inbox_id, dimension, key, n, total)
    SELECT (OLD.sent_at AT TIME ZONE 'UTC')::date, OLD.inbox_id, 'sentiment', s.sentiment_label, -1, -s.sentiment_score
      FROM message_signals s WHERE s.message_id = OLD.id;
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER report_message_deleted BEFORE DELETE ON "messages" FOR EACH ROW EXECUTE FUNCTION report_message_deleted();

-- Rebuilds every rollup from the rows themselves (after a bulk load with the triggers off,
-- or to check them): holds writers off meanwhile, so nothing is counted twice or missed.
CREATE FUNCTION report_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE conversations, messages, message_signals IN SHARE MODE;
  DELETE FROM report_rollup_deltas;
  DELETE FROM report_rollups;
  INSERT INTO report_rollups (day, inbox_id, dimension, key, bucket, n, resolved, total)
  SELECT day, inbox_id, dimension, key, bucket, sum(n), sum(resolved), sum(total) FROM (
    SELECT r.day, r.inbox_id, r.dimension, r.key, r.bucket, r.n, r.resolved, r.total FROM conversations c CROSS JOIN LATERAL report_conversation_rows(c) r
    UNION ALL
    SELECT (sent_at AT TIME ZONE 'UTC')::date, inbox_id, 'messages', '', 0, 1, 0, 0 FROM messages WHERE direction = 'inbound'
    UNION ALL
    SELECT (m.sent_at AT TIME ZONE 'UTC')::date, m.inbox_id, 'sentiment', s.sentiment_label, 0, 1, 0, s.sentiment_score
      FROM message_signals s JOIN messages m ON m.id = s.message_id WHERE m.direction = 'inbound'
  ) x
  GROUP BY day, inbox_id, dimension, key, bucket;
END $$;

-- What is already stored.
SELECT report_rollups_rebuild();

-- A report reads its dimensions over a range of days from this index alone (the rollups it
-- needs are scattered over the table's pages; reading them from the heap took ten times longer).
-- Every column a key column, not INCLUDE: Prisma's schema cannot say INCLUDE.
CREATE INDEX "report_rollups_read_idx" ON "report_rollups"("dimension", "day", "inbox_id", "key", "bucket", "n", "resolved", "total");

-- ---------------------------------------------------------------------------------------------
-- The list as a listing's first page saw it (see ConversationListChange in schema.prisma): what
-- ordered each conversation before a change of its status, priority, waiting time or latest
-- message, with the changing transaction. New conversations are recorded too (nothing before).
CREATE FUNCTION conversation_list_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_list_changes (conversation_id, xid)
  SELECT id, pg_current_xact_id()::text::bigint FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION conversation_list_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_list_changes (conversation_id, xid, old_status, old_priority, old_waiting_since, old_last_message_at)
  SELECT o.id, pg_current_xact_id()::text::bigint, o.status, o.priority, o.waiting_since, o.last_message_at
    FROM old_rows o JOIN new_rows n ON n.id = o.id
   WHERE (o.status, o.priority, o.waiting_since, o.last_message_at) IS DISTINCT FROM (n.status, n.priority, n.waiting_since, n.last_message_at);
  RETURN NULL;
END $$;

CREATE TRIGGER conversation_list_inserted AFTER INSERT ON "conversations" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION conversation_list_inserted();
CREATE TRIGGER conversation_list_updated AFTER UPDATE ON "conversations" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION conversation_list_updated();
