// npm run dev — like npm start (database, migrations, content) but runs `next dev`.
import {
  assertHttpPortFree,
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
  stopHandling();
  await runNext(["dev", "-p", String(port)], db, port);
} catch (error) {
  await fail(error);
}
