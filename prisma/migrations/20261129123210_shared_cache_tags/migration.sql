-- CreateTable
CREATE TABLE "cache_tag" (
    "tag" VARCHAR(256) NOT NULL,
    "stale_at" TIMESTAMPTZ(3),
    "expired_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cache_tag_pkey" PRIMARY KEY ("tag")
);

-- CreateIndex
CREATE INDEX "cache_tag_updated_at_idx" ON "cache_tag"("updated_at");
