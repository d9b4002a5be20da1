-- CreateTable
CREATE TABLE "article" (
    "id" UUID NOT NULL,
    "slug" VARCHAR(120) NOT NULL,
    "original_locale" VARCHAR(16) NOT NULL,
    "source" VARCHAR(200) NOT NULL,
    "source_url" VARCHAR(2000),
    "published_at" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "article_translation" (
    "article_id" UUID NOT NULL,
    "locale" VARCHAR(16) NOT NULL,
    "title" VARCHAR(500) NOT NULL,
    "summary" VARCHAR(1000) NOT NULL,
    "translator" VARCHAR(200),
    "content_hash" CHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "article_translation_pkey" PRIMARY KEY ("article_id","locale")
);

-- CreateTable
CREATE TABLE "paragraph" (
    "id" UUID NOT NULL,
    "article_id" UUID NOT NULL,
    "key" VARCHAR(32) NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "paragraph_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "paragraph_text" (
    "paragraph_id" UUID NOT NULL,
    "locale" VARCHAR(16) NOT NULL,
    "text" TEXT NOT NULL,
    "content_hash" CHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "paragraph_text_pkey" PRIMARY KEY ("paragraph_id","locale")
);

-- CreateIndex
CREATE UNIQUE INDEX "article_slug_key" ON "article"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "paragraph_article_id_key_key" ON "paragraph"("article_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "paragraph_article_id_position_key" ON "paragraph"("article_id", "position");

-- CreateIndex
CREATE INDEX "paragraph_text_locale_idx" ON "paragraph_text"("locale");

-- AddForeignKey
ALTER TABLE "article_translation" ADD CONSTRAINT "article_translation_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "paragraph" ADD CONSTRAINT "paragraph_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "paragraph_text" ADD CONSTRAINT "paragraph_text_paragraph_id_fkey" FOREIGN KEY ("paragraph_id") REFERENCES "paragraph"("id") ON DELETE CASCADE ON UPDATE CASCADE;
