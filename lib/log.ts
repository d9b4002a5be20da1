import pino from "pino";

/**
 * The server's structured log: JSON lines on stdout, one logger for the process. Requests log
 * with their request id (lib/http/endpoint.ts) so a 500 a user reports can be found.
 * LOG_LEVEL=silent in tests that provoke errors on purpose.
 */
const globalForLog = globalThis as unknown as { taiyakuLog?: pino.Logger };

export function getLogger(): pino.Logger {
  globalForLog.taiyakuLog ??= pino({ level: process.env.LOG_LEVEL ?? "info", base: { app: "taiyaku" } });
  return globalForLog.taiyakuLog;
}
