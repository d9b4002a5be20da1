// How the reference page names a JSON Schema in one short line ("string (uuid)", "\"en\" | \"ja\"",
// "string[]") and which of its constraints it lists. Pure, so the page and its tests agree.

export type JsonSchema = Record<string, unknown>;

/** A short type name: refs, consts, enums, unions, arrays, formats and nullable types. */
export function schemaType(schema: JsonSchema | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return "any";
  if (typeof schema.$ref === "string") return schema.$ref.split("/").at(-1)!;
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) return [...new Set(union.map(schemaType))].join(" | ");
  if (Array.isArray(schema.allOf)) return (schema.allOf as JsonSchema[]).map(schemaType).join(" & ");
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === "string" ? [schema.type] : [];
  if (!types.length) return "any";
  return types
    .map((type) => {
      if (type === "array") return `${wrapUnion(schemaType(schema.items as JsonSchema | undefined))}[]`;
      if (type === "string" && typeof schema.format === "string") return `string (${schema.format})`;
      return type;
    })
    .join(" | ");
}

const wrapUnion = (label: string) => (label.includes(" | ") ? `(${label})` : label);

export type Constraint =
  | { key: "minLength" | "maxLength" | "minItems" | "maxItems"; count: number }
  | { key: "minimum" | "maximum"; value: string }
  | { key: "pattern"; pattern: string }
  | { key: "default"; value: string };

/** The constraints worth a reader's eye, in a fixed order. */
export function schemaConstraints(schema: JsonSchema | undefined): Constraint[] {
  if (!schema) return [];
  const list: Constraint[] = [];
  for (const key of ["minLength", "maxLength", "minItems", "maxItems"] as const) {
    if (typeof schema[key] === "number") list.push({ key, count: schema[key] as number });
  }
  if (typeof schema.minimum === "number") list.push({ key: "minimum", value: String(schema.minimum) });
  if (typeof schema.exclusiveMinimum === "number") list.push({ key: "minimum", value: `> ${schema.exclusiveMinimum}` });
  if (typeof schema.maximum === "number") list.push({ key: "maximum", value: String(schema.maximum) });
  if (typeof schema.exclusiveMaximum === "number") list.push({ key: "maximum", value: `< ${schema.exclusiveMaximum}` });
  // The page's own formats (uuid) speak for themselves; other patterns are shown.
  if (typeof schema.pattern === "string" && schema.format === undefined) list.push({ key: "pattern", pattern: schema.pattern });
  if ("default" in schema) list.push({ key: "default", value: JSON.stringify(schema.default) });
  return list;
}

/** The named properties of an object schema, with whether each is required; null when it has none. */
export function schemaProperties(schema: JsonSchema | undefined): { name: string; schema: JsonSchema; required: boolean }[] | null {
  const properties = schema?.properties as Record<string, JsonSchema> | undefined;
  if (!properties || !Object.keys(properties).length) return null;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({ name, schema: property, required: required.has(name) }));
}
