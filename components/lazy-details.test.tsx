import { lazy } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { LazyDetails } from "./lazy-details";

describe("LazyDetails", () => {
  it("renders a closed disclosure with its summary, and neither renders nor loads its content", () => {
    const load = vi.fn(() => Promise.resolve({ default: () => <p>Panel content</p> }));
    const Panel = lazy(load);
    const html = renderToStaticMarkup(
      <LazyDetails summary="Show and create tokens" loading="Loading…">
        <Panel />
      </LazyDetails>,
    );
    expect(html).toBe('<details class="lazy-details"><summary>Show and create tokens</summary></details>');
    expect(load).not.toHaveBeenCalled();
  });
});
