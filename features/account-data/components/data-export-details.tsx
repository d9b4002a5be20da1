"use client";

import { useTranslations } from "next-intl";
import { lazy, type ComponentProps } from "react";
import { LazyDetails } from "@/components/lazy-details";

// "Download my data" is rarely used: its code loads when the panel is first opened, or at once
// when the address targets it (the "your data is ready" mail links to /profile#your-data).
const DataExportPanel = lazy(() => import("./data-export-panel").then((m) => ({ default: m.DataExportPanel })));

export function DataExportDetails({ openOnHash, ...props }: ComponentProps<typeof DataExportPanel> & { openOnHash?: string }) {
  const t = useTranslations("ProfilePanels");
  return (
    <LazyDetails summary={t("data")} loading={t("loading")} openOnHash={openOnHash}>
      <DataExportPanel {...props} />
    </LazyDetails>
  );
}
