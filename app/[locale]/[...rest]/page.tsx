import { notFound } from "next/navigation";

// Unknown paths under a locale render the localized not-found page of app/[locale].
export default function CatchAll() {
  notFound();
}
