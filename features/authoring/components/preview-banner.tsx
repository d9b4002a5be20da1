import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import "./authoring.css";

/** Says, above the preview, that this is a draft nobody else sees, with the way back to it. */
export async function PreviewBanner({ locale, articleId }: { locale: AppLocale; articleId: string }) {
  const t = await getTranslations({ locale, namespace: "Authoring" });
  return (
    <aside className="preview-banner" aria-label={t("previewBannerLabel")} data-testid="preview-banner">
      <strong>{t("previewBanner")}</strong>
      <a href={`/${locale}/editor/${articleId}`}>{t("backToEditor")}</a>
    </aside>
  );
}
