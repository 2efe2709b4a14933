-- CreateIndex
CREATE INDEX "audit_events_assigned_idx" ON "audit_events"("conversation_id", "created_at") WHERE (type = 'conversation.assigned');

-- CreateIndex
CREATE INDEX "contact_identities_opted_out_idx" ON "contact_identities"("contact_id") WHERE (opted_out);

-- CreateIndex
CREATE INDEX "messages_automatic_idx" ON "messages"("conversation_id", "created_at") WHERE (sender_type = 'system' AND direction = 'outbound');
