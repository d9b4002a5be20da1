import { describe, expect, it } from "vitest";
import { schemaConstraints, schemaProperties, schemaType } from "./schema-label";

describe("schemaType", () => {
  it("names types, formats, consts, enums, unions, arrays and refs in one short line", () => {
    expect(schemaType({ type: "string", format: "uuid" })).toBe("string (uuid)");
    expect(schemaType({ const: true })).toBe("true");
    expect(schemaType({ type: "string", enum: ["en", "ja"] })).toBe('"en" | "ja"');
    expect(schemaType({ anyOf: [{ type: "integer" }, { type: "null" }] })).toBe("integer | null");
    expect(schemaType({ type: "array", items: { type: "string", enum: ["read", "write"] } })).toBe('("read" | "write")[]');
    expect(schemaType({ type: ["string", "null"] })).toBe("string | null");
    expect(schemaType({ $ref: "#/components/schemas/Error" })).toBe("Error");
    expect(schemaType({})).toBe("any");
    expect(schemaType(undefined)).toBe("any");
  });
});

describe("schemaConstraints", () => {
  it("lists lengths, bounds, patterns and defaults; a format's own pattern is not repeated", () => {
    expect(schemaConstraints({ type: "string", minLength: 1, maxLength: 100, pattern: "^p-\\d+$" })).toEqual([
      { key: "minLength", count: 1 },
      { key: "maxLength", count: 100 },
      { key: "pattern", pattern: "^p-\\d+$" },
    ]);
    expect(schemaConstraints({ type: "string", format: "uuid", pattern: "^[0-9a-f-]+$" })).toEqual([]);
    expect(schemaConstraints({ type: "integer", minimum: 1, exclusiveMaximum: 10, default: 1 })).toEqual([
      { key: "minimum", value: "1" },
      { key: "maximum", value: "< 10" },
      { key: "default", value: "1" },
    ]);
  });
});

describe("schemaProperties", () => {
  it("lists an object's fields with whether each is required, and null for anything else", () => {
    expect(schemaProperties({ type: "object", properties: { name: { type: "string" }, note: { type: "string" } }, required: ["name"] })).toEqual([
      { name: "name", schema: { type: "string" }, required: true },
      { name: "note", schema: { type: "string" }, required: false },
    ]);
    expect(schemaProperties({ type: "object", additionalProperties: {} })).toBeNull();
    expect(schemaProperties(undefined)).toBeNull();
  });
});
