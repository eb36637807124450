/** A counting semaphore per key: at most `limit` holders at once, FIFO. */
export class KeyedGate {
  private readonly gates = new Map<string, { active: number; waiting: (() => void)[] }>();
  constructor(private readonly limit: number) {}

  /** Runs `fn` once `key` has a free slot; the slot passes to the next waiter when `fn` settles. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = { active: 0, waiting: [] };
      this.gates.set(key, gate);
    }
    if (gate.active >= this.limit) await new Promise<void>((resolve) => gate.waiting.push(resolve));
    else gate.active++;
    try {
      return await fn();
    } finally {
      const next = gate.waiting.shift();
      if (next) next(); // hand the slot over
      else if (--gate.active === 0) this.gates.delete(key);
    }
  }
}
