import type { z } from "zod";

/**
 * A page's GET filter form as a typed query: empty and repeated fields are dropped (an empty
 * select means "any"), and a query that does not validate falls back to the schema's defaults,
 * so a hand-edited URL shows the unfiltered page instead of an error.
 */
export function parseFilterQuery<S extends z.ZodType>(schema: S, params: Record<string, string | string[] | undefined>): z.infer<S> {
  const raw = Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === "string" && v !== ""));
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : schema.parse({});
}
