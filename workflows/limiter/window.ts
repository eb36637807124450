/**
 * The limiter's window arithmetic. Pure: no Temporal imports, time (`now`, epoch ms) is an input.
 * The limiter workflow calls {@link acquire} with its own clock; tests call it with explicit times.
 *
 * Sliding windows (a log of grant times, not fixed buckets): a permit granted at `t` counts while
 * `now - t < windowMs`, so at exactly `t + windowMs` it no longer counts. Cooldown likewise: a
 * remediation granted at `t` blocks the next remediation while `now - t < cooldownMs`.
 *
 * Kinds: every granted permit counts toward `maxActions`; a `remediation` permit also counts toward
 * `maxRemediations` and starts the cooldown. A request is all-or-nothing: when any limit holds,
 * nothing is consumed, and `retryAfterMs` is the time until every limit that held releases
 * (assuming nothing else is granted meanwhile).
 */

import type { Grant, LimitName, Limits, MemoryOptions, PermitKind, PermitRequest, Remembered, WindowState } from '../../core/index.js';

export const DEFAULT_MEMORY: MemoryOptions = { rememberMs: 10 * 60_000, maxRemembered: 1000 };

export function emptyState(): WindowState {
  return { actions: [], remediations: [], lastRemediationAt: null, remembered: [], windows: { actionWindowMs: 0, remediationWindowMs: 0, cooldownMs: 0 } };
}

/** Drops grant times and remembered answers that no longer matter at `now`. Mutates `state`. */
export function prune(state: WindowState, now: number, memory: MemoryOptions = DEFAULT_MEMORY): void {
  const w = state.windows;
  dropBefore(state.actions, now - w.actionWindowMs);
  dropBefore(state.remediations, now - w.remediationWindowMs);
  if (state.lastRemediationAt !== null && now - state.lastRemediationAt >= w.cooldownMs) {
    state.lastRemediationAt = null;
  }
  let drop = 0;
  while (drop < state.remembered.length && now - state.remembered[drop]!.at >= memory.rememberMs) drop++;
  const over = state.remembered.length - drop - memory.maxRemembered;
  if (over > 0) drop += over;
  if (drop > 0) state.remembered.splice(0, drop);
}

/** Removes the leading entries `<= cutoff` (those with `now - t >= window`). */
function dropBefore(times: number[], cutoff: number): void {
  let i = 0;
  while (i < times.length && times[i]! <= cutoff) i++;
  if (i > 0) times.splice(0, i);
}

/** Epoch ms at which the state holds nothing (every window, cooldown and memory elapsed). */
export function quietAt(state: WindowState, memory: MemoryOptions = DEFAULT_MEMORY): number {
  const w = state.windows;
  let at = -Infinity;
  const last = (xs: number[]) => (xs.length ? xs[xs.length - 1]! : -Infinity);
  at = Math.max(at, last(state.actions) + w.actionWindowMs);
  at = Math.max(at, last(state.remediations) + w.remediationWindowMs);
  if (state.lastRemediationAt !== null) at = Math.max(at, state.lastRemediationAt + w.cooldownMs);
  if (state.remembered.length) at = Math.max(at, state.remembered[state.remembered.length - 1]!.at + memory.rememberMs);
  return at;
}

export function isEmpty(state: WindowState): boolean {
  return state.actions.length === 0 && state.remediations.length === 0 && state.lastRemediationAt === null && state.remembered.length === 0;
}

/** Whole seconds, rounded up, at least 1 (0 stays 0). */
export function toRetryAfterSeconds(ms: number): number {
  return ms <= 0 ? 0 : Math.max(1, Math.ceil(ms / 1000));
}

/** How many of `times` count at `now` within `windowMs`, and when the oldest that must leave does. */
function held(times: readonly number[], max: number, windowMs: number, now: number): number | null {
  const live = times.filter((t) => now - t < windowMs);
  if (live.length < max) return null;
  // `live.length - max + 1` entries must leave; the last of them (index live.length - max) leaves at t + windowMs.
  return live[live.length - max]! + windowMs - now;
}

/** What `kind` would be answered at `now`, without changing anything. */
export function evaluate(state: WindowState, limits: Limits, kind: PermitKind, now: number): Grant {
  const holds: { limit: LimitName; ms: number; why: string }[] = [];
  if (limits.maxActions !== null) {
    const ms = held(state.actions, limits.maxActions, limits.actionWindowMs, now);
    if (ms !== null) holds.push({ limit: 'maxActionsPerMinute', ms, why: `${limits.maxActions} actions per ${fmt(limits.actionWindowMs)} reached` });
  }
  if (kind === 'remediation') {
    if (limits.maxRemediations !== null) {
      const ms = held(state.remediations, limits.maxRemediations, limits.remediationWindowMs, now);
      if (ms !== null) {
        holds.push({ limit: 'maxRemediationsPerHour', ms, why: `${limits.maxRemediations} remediations per ${fmt(limits.remediationWindowMs)} reached` });
      }
    }
    if (limits.cooldownMs !== null && limits.cooldownMs > 0 && state.lastRemediationAt !== null && now - state.lastRemediationAt < limits.cooldownMs) {
      holds.push({
        limit: 'cooldownAfterRemediation',
        ms: state.lastRemediationAt + limits.cooldownMs - now,
        why: `cooldown of ${fmt(limits.cooldownMs)} after the last remediation`,
      });
    }
  }
  if (holds.length === 0) return { granted: true, retryAfterMs: 0, retryAfter: 0, reason: 'within limits' };
  const longest = holds.reduce((a, b) => (b.ms > a.ms ? b : a));
  const retryAfterMs = Math.max(1, longest.ms);
  return { granted: false, retryAfterMs, retryAfter: toRetryAfterSeconds(retryAfterMs), limit: longest.limit, reason: holds.map((h) => h.why).join('; ') };
}

/**
 * Answers `req` at `now` and, when granted, records the permit. Idempotent per requestId for as
 * long as it is remembered: a repeat gets the first answer back (`duplicate: true`) and consumes
 * nothing. Mutates `state`.
 */
export function acquire(state: WindowState, req: PermitRequest, now: number, memory: MemoryOptions = DEFAULT_MEMORY): Grant {
  const l = req.limits;
  // The windows of the latest request decide what is kept (a policy reload can change them).
  state.windows = { actionWindowMs: l.actionWindowMs, remediationWindowMs: l.remediationWindowMs, cooldownMs: l.cooldownMs ?? 0 };
  prune(state, now, memory);
  const seen = state.remembered.find((r) => r.id === req.requestId);
  if (seen) {
    const g: Grant = { granted: seen.granted, retryAfterMs: seen.retryAfterMs, retryAfter: toRetryAfterSeconds(seen.retryAfterMs), reason: seen.reason, duplicate: true };
    if (seen.limit) g.limit = seen.limit;
    return g;
  }
  const g = evaluate(state, l, req.kind, now);
  if (g.granted) {
    state.actions.push(now);
    if (req.kind === 'remediation') {
      state.remediations.push(now);
      state.lastRemediationAt = now;
    }
  }
  const r: Remembered = { id: req.requestId, at: now, granted: g.granted, retryAfterMs: g.retryAfterMs, reason: g.reason };
  if (g.limit) r.limit = g.limit;
  state.remembered.push(r);
  prune(state, now, memory); // enforce maxRemembered
  return g;
}

function fmt(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
