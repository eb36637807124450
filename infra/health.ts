/**
 * What is degraded in this process, and since when: Temporal unreachable, no policy loaded, a
 * channel whose credentials were rejected, a gateway that does not answer. `/readyz` reports it;
 * only the parts without which no submission can be taken make the service unready.
 */

/** One degraded part. `since` is when it became degraded (ISO 8601), kept while the reason changes. */
export interface Degradation {
  readonly part: string;
  readonly reason: string;
  readonly since: string;
}

/** Well-known parts; integrations name their own (`channel:slack`, `openshell:gateway`). */
export const HealthPart = {
  Temporal: 'temporal',
  Policies: 'policies',
} as const;

export class Health {
  private readonly parts = new Map<string, { reason: string; since: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Marks `part` degraded for `reason`; returns true when it was healthy until now. */
  degrade(part: string, reason: string): boolean {
    const known = this.parts.get(part);
    this.parts.set(part, { reason, since: known?.since ?? this.now() });
    return known === undefined;
  }

  /** Marks `part` healthy; returns how long it was degraded (ms), or null when it was not. */
  restore(part: string): number | null {
    const known = this.parts.get(part);
    if (!known) return null;
    this.parts.delete(part);
    return this.now() - known.since;
  }

  isDegraded(part: string): boolean {
    return this.parts.has(part);
  }

  /** Every degraded part, in name order. */
  degraded(): Degradation[] {
    return [...this.parts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([part, { reason, since }]) => ({ part, reason, since: new Date(since).toISOString() }));
  }
}
