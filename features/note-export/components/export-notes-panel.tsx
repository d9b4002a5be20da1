"use client";

import { useTranslations } from "next-intl";
import { lazy, type ComponentProps } from "react";
import { LazyDetails } from "@/components/lazy-details";

// The export form brings a zip writer (fflate): it loads when the panel is first opened.
const ExportNotes = lazy(() => import("./export-notes").then((m) => ({ default: m.ExportNotes })));

export function ExportNotesPanel(props: ComponentProps<typeof ExportNotes>) {
  const t = useTranslations("ProfilePanels");
  return (
    <LazyDetails summary={t("export")} loading={t("loading")}>
      <ExportNotes {...props} />
    </LazyDetails>
  );
}
