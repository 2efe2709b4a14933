-- AlterTable
ALTER TABLE "canned_responses" ADD COLUMN     "variants" JSONB NOT NULL DEFAULT '{}';
