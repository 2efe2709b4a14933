-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "linked_conversation_id" UUID;
