import type { IncomingMessage, ServerResponse } from "node:http";
export declare function createRequestListener(options: {
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  hops: number;
  apiMessages: Record<"en" | "ja", Record<string, string>>;
}): (req: IncomingMessage, res: ServerResponse) => void;
