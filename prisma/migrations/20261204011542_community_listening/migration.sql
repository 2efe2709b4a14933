-- CreateTable
CREATE TABLE "listening_topics" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "inbox_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'brand',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "promote_min_followers" INTEGER,
    "spike_sensitivity" DOUBLE PRECISION NOT NULL DEFAULT 5,
    "spike_cooldown_minutes" INTEGER NOT NULL DEFAULT 60,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "listening_topics_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "listened_posts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "topic_id" UUID NOT NULL,
    "inbox_id" UUID NOT NULL,
    "tweet_id" TEXT NOT NULL,
    "author_id" TEXT,
    "username" TEXT NOT NULL,
    "author_name" TEXT,
    "followers" INTEGER NOT NULL DEFAULT 0,
    "text" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "language" TEXT,
    "retweets" INTEGER NOT NULL DEFAULT 0,
    "likes" INTEGER NOT NULL DEFAULT 0,
    "replies" INTEGER NOT NULL DEFAULT 0,
    "quotes" INTEGER NOT NULL DEFAULT 0,
    "posted_at" TIMESTAMPTZ(3) NOT NULL,
    "sentiment_label" TEXT,
    "sentiment_score" DOUBLE PRECISION,
    "complaint_category" TEXT,
    "escalation_risk" DOUBLE PRECISION,
    "status" TEXT NOT NULL DEFAULT 'new',
    "message" JSONB NOT NULL,
    "message_id" UUID,
    "promoted_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listened_posts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "topic_windows" (
    "topic_id" UUID NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "volume" INTEGER NOT NULL DEFAULT 0,
    "negative" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "topic_windows_pkey" PRIMARY KEY ("topic_id","window_start")
);

-- CreateTable
CREATE TABLE "spike_alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "topic_id" UUID NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "volume" INTEGER NOT NULL,
    "negative" INTEGER NOT NULL,
    "expected" DOUBLE PRECISION NOT NULL,
    "observed" DOUBLE PRECISION NOT NULL,
    "phrases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "sample_posts" JSONB NOT NULL DEFAULT '[]',
    "incident_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spike_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "listening_topics_inbox_id_name_key" ON "listening_topics"("inbox_id", "name");

-- CreateIndex
CREATE INDEX "listened_posts_topic_id_posted_at_idx" ON "listened_posts"("topic_id", "posted_at");

-- CreateIndex
CREATE INDEX "listened_posts_inbox_id_created_at_idx" ON "listened_posts"("inbox_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "listened_posts_topic_id_tweet_id_key" ON "listened_posts"("topic_id", "tweet_id");

-- CreateIndex
CREATE INDEX "spike_alerts_created_at_idx" ON "spike_alerts"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "spike_alerts_topic_id_window_start_kind_key" ON "spike_alerts"("topic_id", "window_start", "kind");

-- AddForeignKey
ALTER TABLE "listening_topics" ADD CONSTRAINT "listening_topics_inbox_id_fkey" FOREIGN KEY ("inbox_id") REFERENCES "inboxes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "listened_posts" ADD CONSTRAINT "listened_posts_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "listening_topics"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "topic_windows" ADD CONSTRAINT "topic_windows_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "listening_topics"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spike_alerts" ADD CONSTRAINT "spike_alerts_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "listening_topics"("id") ON DELETE CASCADE ON UPDATE CASCADE;
