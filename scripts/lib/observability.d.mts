import type { IncomingMessage, ServerResponse } from "node:http";
export declare const REQUEST_ID_HEADER: "x-request-id";
export declare const METRICS_PATH: "/metrics";
export declare function requestIdFor(incoming: string | string[] | undefined, trusted: boolean): string;
export declare function metricsTokenMatches(header: string | undefined, token: string | null | undefined): boolean;
export declare function writeMetrics(res: ServerResponse, head?: boolean): Promise<void>;
export declare function createRequestObserver(options: {
  labelRoute: (pathname: string) => string;
  log?: { info: (fields: object, message: string) => void } | null;
  trustRequestId: boolean;
  metricsToken?: string | null;
}): (req: IncomingMessage, res: ServerResponse) => boolean;
export declare function metricsOnlyListener(): (req: IncomingMessage, res: ServerResponse) => void;
