-- CreateTable
CREATE TABLE "widget_visitors" (
    "id" TEXT NOT NULL,
    "inbox_id" UUID NOT NULL,
    "thread_key" TEXT NOT NULL,
    "connected_at" TIMESTAMPTZ(3),
    "disconnected_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "widget_visitors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "widget_visitors_inbox_id_thread_key_idx" ON "widget_visitors"("inbox_id", "thread_key");

-- AddForeignKey
ALTER TABLE "widget_visitors" ADD CONSTRAINT "widget_visitors_inbox_id_fkey" FOREIGN KEY ("inbox_id") REFERENCES "inboxes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
