"use client";

import { useEffect } from "react";

/**
 * Marks the document once React has hydrated it (`<html data-hydrated>`). Rendered last in the
 * layout, so its effect runs after those of the page. The end-to-end tests wait for it after each
 * navigation: a click made between the HTML arriving and hydration would hit an element with no
 * listener yet, which is how a page looks to a person on a slow phone but not what a test of a
 * feature means to check.
 */
export function HydrationMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return null;
}
