-- CreateEnum
CREATE TYPE "ArticleStatus" AS ENUM ('draft', 'published');

-- CreateTable
CREATE TABLE "articles" (
    "id" UUID NOT NULL,
    "inbox_id" UUID,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "audience" TEXT NOT NULL DEFAULT 'customers',
    "status" "ArticleStatus" NOT NULL DEFAULT 'draft',
    "version" INTEGER NOT NULL DEFAULT 1,
    "views" INTEGER NOT NULL DEFAULT 0,
    "helpful" INTEGER NOT NULL DEFAULT 0,
    "not_helpful" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" UUID,
    "updated_by_id" UUID,
    "published_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "search_vector" tsvector,

    CONSTRAINT "articles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "article_versions" (
    "id" BIGSERIAL NOT NULL,
    "article_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "ArticleStatus" NOT NULL,
    "edited_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "article_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "knowledge_events" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "article_id" UUID,
    "inbox_id" UUID,
    "visitor_id" TEXT,
    "conversation_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "knowledge_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suggestion_events" (
    "id" BIGSERIAL NOT NULL,
    "agent_id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suggestion_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "macros" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "actions" JSONB NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "macros_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_operations" (
    "id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "action" JSONB NOT NULL,
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'running',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "bulk_operations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "articles_inbox_id_status_idx" ON "articles"("inbox_id", "status");

-- CreateIndex
CREATE INDEX "articles_search_idx" ON "articles" USING GIN ("search_vector");

-- CreateIndex
CREATE UNIQUE INDEX "article_versions_article_id_version_key" ON "article_versions"("article_id", "version");

-- CreateIndex
CREATE INDEX "knowledge_events_kind_created_at_idx" ON "knowledge_events"("kind", "created_at");

-- CreateIndex
CREATE INDEX "knowledge_events_article_id_idx" ON "knowledge_events"("article_id");

-- CreateIndex
CREATE INDEX "suggestion_events_key_idx" ON "suggestion_events"("key");

-- CreateIndex
CREATE INDEX "suggestion_events_agent_id_created_at_idx" ON "suggestion_events"("agent_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "macros_name_key" ON "macros"("name");

-- AddForeignKey
ALTER TABLE "articles" ADD CONSTRAINT "articles_inbox_id_fkey" FOREIGN KEY ("inbox_id") REFERENCES "inboxes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_versions" ADD CONSTRAINT "article_versions_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The text search configuration of an article's language (PostgreSQL's stemmers); others: simple.
CREATE FUNCTION kb_ts_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE split_part(lower(language), '-', 1)
    WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish' WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french'
    WHEN 'pt' THEN 'portuguese' WHEN 'it' THEN 'italian' WHEN 'nl' THEN 'dutch' WHEN 'sv' THEN 'swedish'
    WHEN 'da' THEN 'danish' WHEN 'no' THEN 'norwegian' WHEN 'fi' THEN 'finnish' WHEN 'ru' THEN 'russian'
    ELSE 'simple' END::regconfig
$$;

-- Title and tags weigh more than the body.
CREATE FUNCTION articles_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector(kb_ts_config(NEW.language), coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector(kb_ts_config(NEW.language), array_to_string(NEW.tags, ' ')), 'A') ||
    setweight(to_tsvector(kb_ts_config(NEW.language), left(coalesce(NEW.body, ''), 100000)), 'B');
  RETURN NEW;
END $$;
CREATE TRIGGER articles_search_vector BEFORE INSERT OR UPDATE OF title, body, tags, language ON "articles"
  FOR EACH ROW EXECUTE FUNCTION articles_search_vector();
