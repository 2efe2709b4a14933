-- CreateEnum
CREATE TYPE "ContactImportStatus" AS ENUM ('queued', 'running', 'done', 'failed');

-- CreateEnum
CREATE TYPE "MergeSuggestionStatus" AS ENUM ('pending', 'accepted', 'rejected');

-- AlterTable
ALTER TABLE "contact_identities" ADD COLUMN     "unsubscribed" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "attributes_text" TEXT,
ADD COLUMN     "company_id" UUID,
ADD COLUMN     "erased_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "content_erased_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "inboxes" ADD COLUMN     "retention_days" INTEGER;

-- CreateTable
CREATE TABLE "companies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "domain" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "companies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_imports" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_id" UUID,
    "file_name" TEXT,
    "dry_run" BOOLEAN NOT NULL,
    "status" "ContactImportStatus" NOT NULL DEFAULT 'queued',
    "csv" TEXT,
    "mapping" JSONB NOT NULL,
    "default_country" TEXT,
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "processed_rows" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "rejections" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "contact_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_changes" (
    "id" BIGSERIAL NOT NULL,
    "contact_id" UUID NOT NULL,
    "kind" "IdentityKind",
    "address" TEXT,
    "purpose" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "agent_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "merge_suggestions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "contact_a_id" UUID NOT NULL,
    "contact_b_id" UUID NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '[]',
    "status" "MergeSuggestionStatus" NOT NULL DEFAULT 'pending',
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "merge_suggestions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_merges" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "survivor_id" UUID NOT NULL,
    "merged_id" UUID NOT NULL,
    "suggestion_id" UUID,
    "snapshot" JSONB NOT NULL,
    "agent_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undone_at" TIMESTAMPTZ(3),
    "undone_by" UUID,

    CONSTRAINT "contact_merges_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "companies_domain_idx" ON "companies"("domain");

-- CreateIndex
CREATE INDEX "consent_changes_contact_id_created_at_idx" ON "consent_changes"("contact_id", "created_at");

-- CreateIndex
CREATE INDEX "merge_suggestions_contact_b_id_idx" ON "merge_suggestions"("contact_b_id");

-- CreateIndex
CREATE INDEX "merge_suggestions_status_score_idx" ON "merge_suggestions"("status", "score" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "merge_suggestions_contact_a_id_contact_b_id_key" ON "merge_suggestions"("contact_a_id", "contact_b_id");

-- CreateIndex
CREATE INDEX "contact_merges_survivor_id_created_at_idx" ON "contact_merges"("survivor_id", "created_at");

-- CreateIndex
CREATE INDEX "contact_merges_merged_id_idx" ON "contact_merges"("merged_id");

-- CreateIndex
CREATE INDEX "contacts_company_id_idx" ON "contacts"("company_id");

-- CreateIndex
CREATE INDEX "contacts_attributes_idx" ON "contacts" USING GIN ("attributes" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "contacts_attributes_text_trgm_idx" ON "contacts" USING GIN ("attributes_text" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_changes" ADD CONSTRAINT "consent_changes_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merge_suggestions" ADD CONSTRAINT "merge_suggestions_contact_a_id_fkey" FOREIGN KEY ("contact_a_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merge_suggestions" ADD CONSTRAINT "merge_suggestions_contact_b_id_fkey" FOREIGN KEY ("contact_b_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The attribute values as one searchable text, whoever writes them (the app, an import, a merge).
CREATE FUNCTION contacts_attributes_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.attributes_text := NULLIF((SELECT string_agg(value, ' ' ORDER BY key) FROM jsonb_each_text(NEW.attributes)), '');
  RETURN NEW;
END $$;
CREATE TRIGGER contacts_attributes_text BEFORE INSERT OR UPDATE OF attributes ON "contacts"
  FOR EACH ROW EXECUTE FUNCTION contacts_attributes_text();
-- CreateTable
CREATE TABLE "conversation_merges" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "target_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "snapshot" JSONB NOT NULL,
    "agent_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undone_at" TIMESTAMPTZ(3),

    CONSTRAINT "conversation_merges_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "conversation_merges_target_id_created_at_idx" ON "conversation_merges"("target_id", "created_at");

-- CreateIndex
CREATE INDEX "conversation_merges_source_id_idx" ON "conversation_merges"("source_id");
-- CreateIndex
CREATE INDEX "contact_identities_created_idx" ON "contact_identities"("created_at");

-- CreateIndex
CREATE INDEX "contacts_updated_idx" ON "contacts"("updated_at");

-- CreateIndex
CREATE INDEX "messages_widget_idx" ON "messages"("created_at") WHERE (metadata ? 'widget' AND direction = 'inbound');

-- CreateIndex
CREATE INDEX "messages_token_reply_idx" ON "messages"("created_at") WHERE (thread_reason = 'conversation-token' OR thread_reason = 'body-marker');
