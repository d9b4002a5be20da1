/** Absolute origin for canonical and hreflang links; SITE_URL in production, localhost otherwise. */
export function siteUrl(): URL {
  const configured = process.env.SITE_URL;
  if (configured) {
    try {
      return new URL(configured);
    } catch {
      // Fall through: a bad SITE_URL must not take every page down.
    }
  }
  return new URL(`http://localhost:${process.env.PORT ?? "3000"}`);
}
