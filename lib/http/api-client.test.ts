import { afterEach, describe, expect, it, vi } from "vitest";
import { apiFetch } from "./api-client";

const fetchMock = vi.fn();
vi.stubGlobal("fetch", fetchMock);
afterEach(() => fetchMock.mockReset());

const base = { locale: "ja", networkMessage: "通信できませんでした。" };

describe("apiFetch", () => {
  it("sends the interface language, JSON only when there is a body, and returns the envelope with its status", async () => {
    fetchMock.mockResolvedValueOnce(Response.json({ ok: true, note: { id: "n1" } }, { status: 201 }));
    const result = await apiFetch<{ note: { id: string } }>("/api/notes", { ...base, method: "POST", body: { body: "x" } });
    expect(result).toEqual({ ok: true, status: 201, note: { id: "n1" } });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/notes");
    expect(init).toMatchObject({ method: "POST", body: '{"body":"x"}', headers: { "x-ui-locale": "ja", "content-type": "application/json" } });

    fetchMock.mockResolvedValueOnce(Response.json({ ok: true }));
    await apiFetch("/api/notifications/read-all", { ...base, method: "POST" });
    expect(fetchMock.mock.calls[1]![1].headers).toEqual({ "x-ui-locale": "ja" });
  });

  it("passes refusals through with their code, message, field errors and extras", async () => {
    fetchMock.mockResolvedValueOnce(Response.json({ ok: false, code: "conflict", message: "変更されています", current: { id: "n1" } }, { status: 409 }));
    expect(await apiFetch("/api/notes/n1", { ...base, method: "PATCH", body: {} })).toEqual({
      ok: false,
      status: 409,
      code: "conflict",
      message: "変更されています",
      fieldErrors: {},
      current: { id: "n1" },
    });
  });

  it("turns network failures and non-JSON answers into the same typed failure", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    expect(await apiFetch("/api/me", base)).toEqual({ ok: false, status: 0, code: "network", message: base.networkMessage, fieldErrors: {} });
    fetchMock.mockResolvedValueOnce(new Response("<html>Bad gateway</html>", { status: 502 }));
    expect(await apiFetch("/api/me", base)).toMatchObject({ ok: false, status: 502, code: "network", message: base.networkMessage });
  });
});
