-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "last_assigned_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "acknowledged_at" TIMESTAMPTZ(3),
ADD COLUMN     "escalated_at" TIMESTAMPTZ(3),
ADD COLUMN     "escalation_level" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "priority_floor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sla_breached_for" TIMESTAMPTZ(3),
ADD COLUMN     "sla_policy_id" UUID,
ADD COLUMN     "sla_warned_for" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "inboxes" ADD COLUMN     "routing" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "routing_rules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "conditions" JSONB NOT NULL DEFAULT '[]',
    "actions" JSONB NOT NULL DEFAULT '[]',
    "position" INTEGER NOT NULL DEFAULT 100,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "inbox_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "routing_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sla_policies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "inbox_id" UUID,
    "priority_at_least" INTEGER,
    "tier" TEXT,
    "first_response_minutes" INTEGER NOT NULL,
    "next_response_minutes" INTEGER NOT NULL,
    "resolution_minutes" INTEGER,
    "warn_before_minutes" INTEGER NOT NULL DEFAULT 15,
    "business_hours" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "routing_events" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "conversation_id" UUID NOT NULL,
    "message_id" UUID,
    "data" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "routing_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "routing_rules_event_position_idx" ON "routing_rules"("event", "position");

-- CreateIndex
CREATE INDEX "routing_events_claimed_until_id_idx" ON "routing_events"("claimed_until", "id");

-- CreateIndex
CREATE INDEX "conversations_first_response_due_at_idx" ON "conversations"("first_response_due_at");

-- CreateIndex
CREATE INDEX "conversations_next_response_due_at_idx" ON "conversations"("next_response_due_at");

-- CreateIndex
CREATE INDEX "conversations_snoozed_until_idx" ON "conversations"("snoozed_until");
