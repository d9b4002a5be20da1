import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import type { ReactNode } from "react";
import type { MessageNamespace } from "@/lib/i18n/translator";

/**
 * Hands client components the message namespaces they use, and no others. Passing the whole
 * catalogue (next-intl's default) put ~20 KB of gzipped JSON into every page's RSC payload, which
 * the browser parses while hydrating (issue 15, ADR 0038). A nested provider replaces its parent's
 * messages, so `namespaces` must cover every client component below it: `scripts/check-features.ts`
 * derives what each page's client components use and fails when a page does not list it.
 */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly MessageNamespace[]; children: ReactNode }) {
  const all = (await getMessages()) as Record<string, unknown>;
  const messages = Object.fromEntries([...new Set(namespaces)].map((namespace) => [namespace, all[namespace]]));
  return <NextIntlClientProvider messages={messages}>{children}</NextIntlClientProvider>;
}
