"use client";

import { useTranslations } from "next-intl";
import { lazy, type ComponentProps } from "react";
import { LazyDetails } from "@/components/lazy-details";

// Importing is a once-in-a-while task: the form's code loads when the panel is first opened.
const ImportNotes = lazy(() => import("./import-notes").then((m) => ({ default: m.ImportNotes })));

export function ImportPanel(props: ComponentProps<typeof ImportNotes>) {
  const t = useTranslations("ProfilePanels");
  return (
    <LazyDetails summary={t("import")} loading={t("loading")}>
      <ImportNotes {...props} />
    </LazyDetails>
  );
}
