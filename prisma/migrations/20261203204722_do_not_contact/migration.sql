-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "do_not_contact" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "do_not_contact_at" TIMESTAMPTZ(3);
