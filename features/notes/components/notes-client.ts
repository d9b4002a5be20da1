// Browser-side calls to the notes API, typed with the shapes the server answers (../types),
// over the one client fetch helper (lib/http/api-client.ts).
import { apiFetch, type ApiFailure } from "@/lib/http/api-client";
import type { NoteDto, NoteRevisionDto } from "../types";

export type ClientNote = NoteDto & { orphan?: boolean; pending?: boolean };
/** A refused edit or delete carries the note as it is now (409), so the form can show it. */
export type ApiResult<T> = ({ ok: true; status: number } & T) | (ApiFailure & { current?: NoteDto });

type Init = { method?: "POST" | "PUT" | "PATCH" | "DELETE"; body?: unknown };

function call<T extends object>(locale: string, networkMessage: string, url: string, init: Init = {}): Promise<ApiResult<T>> {
  return apiFetch<T>(url, { ...init, locale, networkMessage }) as Promise<ApiResult<T>>;
}

export function notesApi(locale: string, networkMessage: string) {
  return {
    /** One page of a paragraph's threads: the newest roots older than `cursor`, with their replies. */
    thread: (slug: string, key: string, layers = "", cursor?: string | null) => {
      const params = new URLSearchParams({ article: slug, paragraph: key });
      if (layers) params.set("layers", layers);
      if (cursor) params.set("cursor", cursor);
      return call<{ notes: ClientNote[]; nextCursor: string | null; total: number }>(locale, networkMessage, `/api/notes?${params}`);
    },
    list: (slug: string, filters: Record<string, string>, cursor?: string | null, layers = "") => {
      const params = new URLSearchParams({ article: slug, ...filters });
      if (layers) params.set("layers", layers);
      if (cursor) params.set("cursor", cursor);
      return call<{ notes: ClientNote[]; orphans: ClientNote[]; nextCursor: string | null }>(locale, networkMessage, `/api/notes?${params}`);
    },
    get: (id: string) => call<{ note: ClientNote }>(locale, networkMessage, `/api/notes/${encodeURIComponent(id)}`),
    history: (id: string) => call<{ revisions: NoteRevisionDto[] }>(locale, networkMessage, `/api/notes/${encodeURIComponent(id)}/history`),
    create: (body: Record<string, unknown>) =>
      call<{ note: ClientNote }>(locale, networkMessage, "/api/notes", { method: "POST", body }),
    edit: (id: string, body: { body: string; tag?: string | null; version: number }) =>
      call<{ note: ClientNote }>(locale, networkMessage, `/api/notes/${encodeURIComponent(id)}`, { method: "PATCH", body }),
    helpful: (id: string, on: boolean) =>
      call<{ note: ClientNote }>(locale, networkMessage, `/api/notes/${encodeURIComponent(id)}/reaction`, { method: on ? "PUT" : "DELETE" }),
    answer: (id: string, replyId: string | null, version: number) =>
      call<{ note: ClientNote }>(locale, networkMessage, `/api/notes/${encodeURIComponent(id)}/answer`, {
        method: replyId ? "PUT" : "DELETE",
        body: replyId ? { replyId, version } : { version },
      }),
    mentionCandidates: (groupId: string, q: string) =>
      call<{ members: { id: string; name: string }[] }>(
        locale,
        networkMessage,
        `/api/notes/mentions?groupId=${encodeURIComponent(groupId)}&q=${encodeURIComponent(q)}`,
      ),
    /** The signed-in reader's own layer over the cached page (ADR 0012); records the visit. */
    reading: <State>(slug: string, body: { renderedAt: number; paragraphs?: string[] }) =>
      call<{ state: State | null }>(locale, networkMessage, `/api/articles/${encodeURIComponent(slug)}/reading`, { method: "POST", body }),
    highlights: <Runs>(slug: string, paragraphIds: readonly string[]) =>
      call<{ highlights: { runs: Runs } }>(locale, networkMessage, `/api/articles/${encodeURIComponent(slug)}/highlights?paragraphs=${paragraphIds.join(",")}`),
    remove: (id: string, version: number) =>
      call<{ note: ClientNote }>(locale, networkMessage, `/api/notes/${encodeURIComponent(id)}`, { method: "DELETE", body: { version } }),
  };
}

/** One key per form submission: retries and double clicks reuse it, so the server creates one note. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
