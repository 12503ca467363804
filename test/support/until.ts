/** Waits until `condition` holds, polling every few milliseconds; throws after `timeoutMs`. */
export async function until(
  condition: () => boolean,
  timeoutMs = 10_000,
  what = "a condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
