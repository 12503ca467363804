/**
 * Polls `probe` until it returns true, or fails after `timeoutMs`: for effects that cross processes
 * (a NOTIFY reaching another node) and so cannot be awaited directly. Resolves with the time it took.
 */
export async function eventually(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 3_000,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
