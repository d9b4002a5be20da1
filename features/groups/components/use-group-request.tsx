"use client";

import type { ApiFailure } from "@/lib/http/api-client";

export type GroupError = ApiFailure;

export function RequestError({ error }: { error: GroupError | null }) {
  if (!error) return null;
  return (
    <p className="form-alert" role="alert">
      {error.message}
    </p>
  );
}
