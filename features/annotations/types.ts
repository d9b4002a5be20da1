import type { AnnotatableNote } from "@/lib/annotations/web-annotation";

// What the W3C Web Annotation Protocol server (ADR 0029) reads of a note: what the model mapping
// needs (lib/annotations/web-annotation.ts) plus its version (the ETag) and state.

export type ProtocolNote = AnnotatableNote & {
  articleId: string;
  version: number;
  deleted: boolean;
};

/** A container's counts for one viewer: only what they may read (unseen notes are nowhere). */
export type ContainerStats = {
  /** Live annotations the viewer may read. */
  total: number;
  /** Latest change to any annotation the viewer may read (deletions included), or null. */
  modified: Date | null;
};

/** Which representation of a container: embedded descriptions or IRIs, and whether minimal. */
export type ContainerView = { iris: boolean; minimal: boolean };
