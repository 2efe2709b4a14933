-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "language" TEXT;

-- Existing conversations: the language of their latest customer message.
UPDATE "conversations" c SET "language" = s.language
  FROM (SELECT DISTINCT ON (m.conversation_id) m.conversation_id, sg.language
          FROM "messages" m JOIN "message_signals" sg ON sg.message_id = m.id
         WHERE m.direction = 'inbound'
         ORDER BY m.conversation_id, m.created_at DESC) s
 WHERE s.conversation_id = c.id;
