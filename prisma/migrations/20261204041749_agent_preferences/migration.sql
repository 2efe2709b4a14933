-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "locale" TEXT,
ADD COLUMN     "time_zone" TEXT;
