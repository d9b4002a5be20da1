import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
export declare function processLogger(): Logger;
export declare function startObservability(options: { distDir: string; hops: number }): (req: IncomingMessage, res: ServerResponse) => boolean;
