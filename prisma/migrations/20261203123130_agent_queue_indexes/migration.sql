-- CreateIndex
CREATE INDEX "conversations_unassigned_list_idx" ON "conversations"("inbox_id", "status", "priority" DESC, "waiting_since", "last_message_at" DESC, "id") WHERE (assignee_id IS NULL);

-- CreateIndex
CREATE INDEX "conversations_inbox_mention_list_idx" ON "conversations"("inbox_id", "status", "priority" DESC, "waiting_since", "last_message_at" DESC, "id") WHERE (type = 'mention');
