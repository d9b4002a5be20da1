import { describe, expect, it } from "vitest";
import { backoffMs } from "./queue";

describe("job backoff", () => {
  it("doubles from 10 s per failed attempt, with at most 20 % jitter, capped at an hour", () => {
    expect(backoffMs(1, 0)).toBe(10_000);
    expect(backoffMs(2, 0)).toBe(20_000);
    expect(backoffMs(3, 0)).toBe(40_000);
    expect(backoffMs(3, 1)).toBe(48_000);
    expect(backoffMs(20, 0)).toBe(3_600_000);
    expect(backoffMs(20, 1)).toBe(4_320_000);
  });
});
