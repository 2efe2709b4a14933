-- CreateTable
CREATE TABLE "channel_cursors" (
    "inbox_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "channel_cursors_pkey" PRIMARY KEY ("inbox_id","key")
);

-- CreateTable
CREATE TABLE "channel_dead_letters" (
    "id" BIGSERIAL NOT NULL,
    "inbox_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "channel_dead_letters_inbox_id_key_key" ON "channel_dead_letters"("inbox_id", "key");

-- AddForeignKey
ALTER TABLE "channel_cursors" ADD CONSTRAINT "channel_cursors_inbox_id_fkey" FOREIGN KEY ("inbox_id") REFERENCES "inboxes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_dead_letters" ADD CONSTRAINT "channel_dead_letters_inbox_id_fkey" FOREIGN KEY ("inbox_id") REFERENCES "inboxes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
