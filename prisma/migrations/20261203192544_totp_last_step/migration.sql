-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "totp_last_step" INTEGER;
