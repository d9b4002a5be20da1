import type { IncomingMessage, ServerResponse } from "node:http";
export declare function createRequestListener(options: {
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  hops: number;
  apiMessages: Record<"en" | "ja", Record<string, string>>;
  /** Request id, access log and metrics (observability.mjs); true when it answered the request itself. */
  observe?: (req: IncomingMessage, res: ServerResponse) => boolean;
}): (req: IncomingMessage, res: ServerResponse) => void;
