import type { Metadata } from "next";
import { readerMetadata, ReaderRoute, type ReaderParams } from "./reader-route";

// Internal route: the proxy maps the public URL /{locale}/articles/{slug}?text=mode here, so
// every (page, mode) pair is a cacheable page instead of a per-request render of searchParams.
// Signed-in readers get the same page; their own notes arrive from the reader API (ADR 0012). Rendered on first request and kept for 5 minutes or until the
// article's tag or its public notes' tag is revalidated (ADR 0004, ADR 0008).
export const revalidate = 300;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

export function generateMetadata({ params }: { params: ReaderParams }): Promise<Metadata> {
  return readerMetadata(params);
}

export default function ReaderPage({ params }: { params: ReaderParams }) {
  return <ReaderRoute params={params} />;
}
