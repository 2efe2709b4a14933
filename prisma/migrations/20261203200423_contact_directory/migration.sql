-- CreateEnum
CREATE TYPE "AttributeType" AS ENUM ('text', 'number', 'date', 'list');

-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "language" TEXT,
ADD COLUMN     "time_zone" TEXT;

-- CreateTable
CREATE TABLE "contact_attributes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" "AttributeType" NOT NULL,
    "options" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_attributes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "contact_attributes_key_key" ON "contact_attributes"("key");

-- CreateIndex
CREATE INDEX "contacts_created_idx" ON "contacts"("created_at" DESC, "id" DESC);
