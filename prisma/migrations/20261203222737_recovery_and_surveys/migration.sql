-- CreateEnum
CREATE TYPE "ComplaintStage" AS ENUM ('acknowledged', 'investigating', 'resolved', 'remedied', 'followed_up');

-- CreateEnum
CREATE TYPE "RemedyType" AS ENUM ('apology', 'refund', 'credit', 'replacement', 'other');

-- CreateEnum
CREATE TYPE "RemedyStatus" AS ENUM ('approved', 'pending_approval', 'rejected');

-- CreateEnum
CREATE TYPE "SurveyKind" AS ENUM ('satisfaction', 'follow_up');

-- CreateEnum
CREATE TYPE "SurveyStatus" AS ENUM ('scheduled', 'sent', 'answered', 'suppressed', 'failed');

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "complaint_opened_at" TIMESTAMPTZ(3),
ADD COLUMN     "complaint_stage" "ComplaintStage";

-- AlterTable
ALTER TABLE "roles" ADD COLUMN     "remedy_limit" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "remedies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_id" UUID NOT NULL,
    "type" "RemedyType" NOT NULL,
    "amount" DOUBLE PRECISION,
    "currency" TEXT,
    "note" TEXT,
    "status" "RemedyStatus" NOT NULL,
    "agent_id" UUID,
    "approved_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "remedies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "surveys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_id" UUID NOT NULL,
    "kind" "SurveyKind" NOT NULL,
    "status" "SurveyStatus" NOT NULL DEFAULT 'scheduled',
    "suppressed_reason" TEXT,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "message_id" UUID,
    "rating" INTEGER,
    "comment" TEXT,
    "answered_at" TIMESTAMPTZ(3),
    "contact_id" UUID NOT NULL,
    "agent_id" UUID,
    "team_id" UUID,
    "channel" TEXT NOT NULL,
    "complaint_category" TEXT,
    "complaint" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "surveys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "remedies_conversation_id_created_at_idx" ON "remedies"("conversation_id", "created_at");

-- CreateIndex
CREATE INDEX "remedies_status_created_at_idx" ON "remedies"("status", "created_at");

-- CreateIndex
CREATE INDEX "surveys_status_due_at_idx" ON "surveys"("status", "due_at");

-- CreateIndex
CREATE INDEX "surveys_contact_id_sent_at_idx" ON "surveys"("contact_id", "sent_at");

-- CreateIndex
CREATE INDEX "surveys_answered_at_idx" ON "surveys"("answered_at");

-- CreateIndex
CREATE UNIQUE INDEX "surveys_conversation_id_kind_key" ON "surveys"("conversation_id", "kind");

-- CreateIndex
CREATE INDEX "conversations_complaint_idx" ON "conversations"("complaint_stage", "complaint_opened_at") WHERE (complaint_stage IS NOT NULL);

-- AddForeignKey
ALTER TABLE "remedies" ADD CONSTRAINT "remedies_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- CreateIndex
CREATE INDEX "conversations_resolved_idx" ON "conversations"("resolved_at") WHERE (status = 'resolved');

-- CreateIndex
CREATE INDEX "surveys_sent_idx" ON "surveys"("sent_at") WHERE (status = 'sent');
