import type { Counter, Gauge, Histogram, Registry } from "prom-client";

export declare const httpRequests: () => Counter<"route" | "method" | "status">;
export declare const httpDuration: () => Histogram<"route" | "method">;
export declare const dbQueryDuration: () => Histogram;
export declare const dbPoolConnections: () => Gauge<"state">;
export declare const sseStreamsOpen: () => Gauge;
export declare const listenerReconnects: () => Counter<"listener">;
export declare const listenerLag: () => Histogram<"listener">;
export declare const cacheLookups: () => Counter<"kind" | "result">;
export declare const cacheTagInvalidations: () => Counter<"origin">;
export declare const rateLimitRefusals: () => Counter<"limit">;
export declare const register: Registry;
