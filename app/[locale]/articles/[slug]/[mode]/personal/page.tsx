import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { getViewer } from "@/features/accounts/data";
import { LAYERS_COOKIE } from "@/features/notes/schema";
import { readerMetadata, ReaderRoute, type ReaderParams } from "../reader-route";

// The signed-in variant of the reader (the proxy picks it when a session cookie is present):
// rendered per request with the reader's own private notes and counts. An invalid or expired
// cookie simply renders the public view.
export const dynamic = "force-dynamic";

export function generateMetadata({ params }: { params: ReaderParams }): Promise<Metadata> {
  return readerMetadata(params);
}

export default async function PersonalReaderPage({ params }: { params: ReaderParams }) {
  const viewer = await getViewer(await headers());
  // The layer switcher's choice (public / mine / groups) narrows the notes drawn on the page.
  const layersCookie = (await cookies()).get(LAYERS_COOKIE)?.value;
  return <ReaderRoute params={params} viewer={viewer} layersCookie={layersCookie} />;
}
