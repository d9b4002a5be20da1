// npm start — the production server in one command: checks, database (embedded unless
// DATABASE_URL is set), migrations, content, a build when the sources changed, then `next start`.
// Ctrl-C stops Next, then the database.
import {
  assertHttpPortFree,
  buildIfNeeded,
  ensurePrismaClient,
  fail,
  prepareDatabase,
  readHttpPort,
  runNext,
  stopOnSignalWhilePreparing,
  validateDatabaseUrlEnv,
} from "./lib/app-launcher";

try {
  const port = readHttpPort();
  validateDatabaseUrlEnv();
  await assertHttpPortFree(port);
  const stopHandling = stopOnSignalWhilePreparing();
  ensurePrismaClient();
  const db = await prepareDatabase();
  await buildIfNeeded(db.url);
  stopHandling();
  await runNext(["start"], db, port);
} catch (error) {
  await fail(error);
}
