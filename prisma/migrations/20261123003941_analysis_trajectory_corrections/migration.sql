-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "sentiment_series" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
ADD COLUMN     "sentiment_slope" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "analysis_corrections" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "agent_id" UUID,
    "task" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "previous" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analysis_corrections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "analysis_corrections_message_id_task_idx" ON "analysis_corrections"("message_id", "task");

-- CreateIndex
CREATE INDEX "analysis_corrections_created_at_idx" ON "analysis_corrections"("created_at");

-- AddForeignKey
ALTER TABLE "analysis_corrections" ADD CONSTRAINT "analysis_corrections_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analysis_corrections" ADD CONSTRAINT "analysis_corrections_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analysis_corrections" ADD CONSTRAINT "analysis_corrections_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;
