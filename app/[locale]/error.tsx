"use client";

import { useTranslations } from "next-intl";

export default function LocaleError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("Error");
  return (
    <main id="main" className="main">
      <h1>{t("heading")}</h1>
      <p>{t("body")}</p>
      <button type="button" className="button" onClick={() => reset()}>
        {t("retry")}
      </button>
    </main>
  );
}
