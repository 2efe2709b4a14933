-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "formality" TEXT,
ADD COLUMN     "title" TEXT;
