// The server the Playwright suite runs against (see playwright.config.ts): the production build
// on its own throwaway database. Playwright stops it with SIGTERM; the cluster goes with it.
import { startThrowawayApp } from "./lib/throwaway-app";

const app = await startThrowawayApp({ port: Number(process.env.PORT ?? 3100) });
// A second instance on the same database (e2e/live.spec.ts: a write on one instance reaches a
// stream on the other). E2E_SECOND_PORT=0 turns it off.
const secondPort = Number(process.env.E2E_SECOND_PORT ?? Number(process.env.PORT ?? 3100) + 1);
if (secondPort > 0) app.startInstance(secondPort);

async function shutdown(code: number) {
  await app.stop();
  process.exit(code);
}
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));
app.server.on("exit", (code) => void shutdown(code ?? 1));
