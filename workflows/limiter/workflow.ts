/**
 * The limiter workflow: one per (tenant, blueprint, agent). Deterministic; time is the workflow
 * clock (`Date.now()` in workflow code). The `acquire` handler is synchronous, so concurrent
 * updates are applied one after another against the same state (no interleaving).
 *
 * Lifetime: it continues as new after `continueAfterUpdates` handled updates (or when Temporal
 * suggests it: history size), carrying only the live window state; and it completes on its own once
 * nothing it holds matters any more (every window, cooldown and idempotency memory elapsed with no
 * new request), so idle agents cost nothing. The next request starts a fresh one.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { acquireUpdate, limiterStateQuery, type AcquireInput, type AcquireResult, type LimiterInput, type LimiterSnapshot, type Limits } from '../../core/index.js';
import { acquire, DEFAULT_MEMORY, emptyState, isEmpty, prune, quietAt } from './window.js';

export const DEFAULT_CONTINUE_AFTER_UPDATES = 500;

/** Why `input` cannot be answered, or null. Rejected updates are not written to history. */
export function acquireInputProblem(input: AcquireInput): string | null {
  if (typeof input !== 'object' || input === null) return 'input must be an object';
  if (input.kind !== 'action' && input.kind !== 'remediation') return 'kind must be "action" or "remediation"';
  if (typeof input.requestId !== 'string' || input.requestId.length === 0 || input.requestId.length > 500) return 'requestId must be a non-empty string';
  const l = input.limits as Limits | undefined;
  if (typeof l !== 'object' || l === null) return 'limits must be an object';
  const count = (v: unknown) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 1);
  const ms = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (!count(l.maxActions) || !count(l.maxRemediations)) return 'maxActions and maxRemediations must be whole numbers ≥ 1 or null';
  if (!ms(l.actionWindowMs) || !ms(l.remediationWindowMs)) return 'window lengths must be positive numbers of ms';
  if (!(l.cooldownMs === null || (typeof l.cooldownMs === 'number' && Number.isFinite(l.cooldownMs) && l.cooldownMs >= 0))) {
    return 'cooldownMs must be ≥ 0 or null';
  }
  return null;
}

export async function limiterWorkflow(input: LimiterInput): Promise<LimiterSnapshot> {
  const state = input.state ?? emptyState();
  const memory = input.memory ?? DEFAULT_MEMORY;
  const continueAfter = Math.max(1, input.continueAfterUpdates ?? DEFAULT_CONTINUE_AFTER_UPDATES);
  const run = input.run ?? 1;
  let handled = 0;
  let granted = 0;
  let blocked = 0;

  const snapshot = (): LimiterSnapshot => ({ key: input.key, state: JSON.parse(JSON.stringify(state)) as typeof state, run, handled, granted, blocked });

  setHandler(
    acquireUpdate,
    (req: AcquireInput): AcquireResult => {
      handled++;
      const now = Date.now();
      const g = acquire(state, req, now, memory);
      if (!g.duplicate) {
        if (g.granted) granted++;
        else blocked++;
      }
      return { ...g, decidedAt: now };
    },
    {
      validator: (req: AcquireInput) => {
        const problem = acquireInputProblem(req);
        if (problem) throw new Error(`invalid acquire: ${problem}`);
      },
    },
  );
  setHandler(limiterStateQuery, snapshot);

  const shouldContinue = () => handled >= continueAfter || workflowInfo().continueAsNewSuggested;
  for (;;) {
    const seen = handled;
    const quiet = quietAt(state, memory) - Date.now();
    // Wake on a new request, when it is time to continue as new, or when the state has gone quiet.
    const woke = await condition(() => handled !== seen || shouldContinue(), Math.max(1, quiet));
    if (shouldContinue()) {
      // Updates are applied synchronously, so every accepted one has an answer before the run ends.
      await condition(allHandlersFinished);
      prune(state, Date.now(), memory);
      await continueAsNew<typeof limiterWorkflow>({ ...input, state, run: run + 1 });
    }
    if (!woke) {
      prune(state, Date.now(), memory);
      if (isEmpty(state) && handled === seen) {
        await condition(allHandlersFinished);
        return snapshot();
      }
    }
  }
}
