-- DropIndex
DROP INDEX "conversations_first_response_due_at_idx";

-- DropIndex
DROP INDEX "conversations_next_response_due_at_idx";

-- DropIndex
DROP INDEX "conversations_snoozed_until_idx";

-- DropIndex
DROP INDEX "inbound_receipts_status_received_at_idx";

-- CreateIndex
CREATE INDEX "conversations_first_response_due_at_idx" ON "conversations"("first_response_due_at") WHERE (first_response_due_at IS NOT NULL);

-- CreateIndex
CREATE INDEX "conversations_next_response_due_at_idx" ON "conversations"("next_response_due_at") WHERE (next_response_due_at IS NOT NULL);

-- CreateIndex
CREATE INDEX "conversations_snoozed_until_idx" ON "conversations"("snoozed_until") WHERE (snoozed_until IS NOT NULL);

-- CreateIndex
CREATE INDEX "inbound_receipts_pending_idx" ON "inbound_receipts"("received_at") WHERE (status = 'pending');

-- CreateIndex
CREATE INDEX "messages_queued_idx" ON "messages"("created_at") WHERE (delivery_status = 'queued');
