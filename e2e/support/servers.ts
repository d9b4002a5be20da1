// Servers the specs start or reach themselves (the second e2e instance, a server of their own).

/** Resolves once `base`/api/health answers 200 (the server is up and reaches its database). */
export async function waitForHealthy(base: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${base} did not become healthy`);
}
