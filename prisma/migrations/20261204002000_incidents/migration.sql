-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('investigating', 'identified', 'monitoring', 'resolved');

-- CreateTable
CREATE TABLE "incidents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "title" TEXT NOT NULL,
    "description" TEXT,
    "status" "IncidentStatus" NOT NULL DEFAULT 'investigating',
    "rule_enabled" BOOLEAN NOT NULL DEFAULT false,
    "rule_category" TEXT,
    "rule_keywords" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "rule_from" TIMESTAMPTZ(3),
    "rule_until" TIMESTAMPTZ(3),
    "update_texts" JSONB NOT NULL DEFAULT '{}',
    "notify" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_links" (
    "incident_id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "linked_by" TEXT NOT NULL,
    "agent_id" UUID,
    "linked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "notified_at" TIMESTAMPTZ(3),
    "update_message_id" UUID,
    "skipped_reason" TEXT,

    CONSTRAINT "incident_links_pkey" PRIMARY KEY ("incident_id","conversation_id")
);

-- CreateIndex
CREATE INDEX "incidents_status_created_at_idx" ON "incidents"("status", "created_at");

-- CreateIndex
CREATE INDEX "incident_links_conversation_id_idx" ON "incident_links"("conversation_id");

-- CreateIndex
CREATE INDEX "incident_links_pending_idx" ON "incident_links"("incident_id") WHERE (notified_at IS NULL);

-- AddForeignKey
ALTER TABLE "incident_links" ADD CONSTRAINT "incident_links_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_links" ADD CONSTRAINT "incident_links_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
