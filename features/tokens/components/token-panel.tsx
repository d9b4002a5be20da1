"use client";

import { useTranslations } from "next-intl";
import { lazy, type ComponentProps } from "react";
import { LazyDetails } from "@/components/lazy-details";

// Few readers ever make a token: the manager's code loads when the panel is first opened.
const TokenManager = lazy(() => import("./token-manager").then((m) => ({ default: m.TokenManager })));

export function TokenPanel(props: ComponentProps<typeof TokenManager>) {
  const t = useTranslations("ProfilePanels");
  return (
    <LazyDetails summary={t("tokens")} loading={t("loading")}>
      <TokenManager {...props} />
    </LazyDetails>
  );
}
