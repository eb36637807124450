/**
 * Polls until a condition holds: for state that settles asynchronously (visibility, workflow
 * progress, a fake vendor receiving a call). Generous defaults for a loaded 2-core machine; a
 * throwing check counts as "not yet" and its last error is reported on timeout.
 */
export async function eventually<T>(
  fn: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  ms = 10_000,
  every = 200,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
