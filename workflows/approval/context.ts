/**
 * What the parts of one approval workflow share: its input, its mutable state, the cards posted
 * so far, and how to note history, audit and run side effects in the background.
 */
import { log, workflowInfo } from '@temporalio/workflow';
import type { CardContext } from '../../activities/types.js';
import { slaStart, type ApprovalInput, type ApprovalState, type ChannelRef, type HistoryEntry } from '../../core/index.js';
import { audit } from './activity-proxies.js';
import { failureMessage } from './failure.js';
import { initialState, record, RefusalBudget, snapshot } from './state.js';

export interface ApprovalContext {
  readonly input: ApprovalInput;
  /** The policy's decision the workflow was started with. */
  readonly route: ApprovalInput['decision'];
  readonly state: ApprovalState;
  readonly refusals: RefusalBudget;
  /** Cards posted, in order; every update goes to each. */
  readonly refs: ChannelRef[];
  /** Set first thing for an approval that waits: whether web cards skip activities (see `WEB_CARDS_IN_WORKFLOW`). */
  webCardsInWorkflow: boolean;
  /** Set right after: whether escalations and approvals update visibility (see `VIEW_ATTRIBUTES`). */
  viewAttributes: boolean;
  /** Side effects still running; the workflow waits for them before it ends. */
  readonly background: Set<Promise<unknown>>;
  /** When the SLA clock started, epoch ms (see `slaStart` in timers.ts). */
  readonly start: number;
  /** Runs a side effect without blocking the caller. */
  spawn(work: () => Promise<unknown>): void;
  auditEvent(event: string, who: string, why?: string | null, data?: Record<string, unknown>): ReturnType<typeof audit>;
  /** Appends to the state's history, stamped with the workflow clock. */
  note(event: HistoryEntry['event'], who: string, why?: string): void;
  /** The card as channels render it (state without history). */
  cardContext(): CardContext;
}

/** A fresh context for `input`; call inside the workflow (reads the workflow's start time). */
export function createContext(input: ApprovalInput): ApprovalContext {
  const state = initialState(input);
  const background = new Set<Promise<unknown>>();
  return {
    input,
    route: input.decision,
    state,
    refusals: new RefusalBudget(),
    refs: [],
    webCardsInWorkflow: false,
    viewAttributes: false,
    background,
    start: slaStart(input.submittedAt, workflowInfo().startTime.getTime()),
    spawn: (work) => {
      const p: Promise<unknown> = work()
        .catch((err) => log.warn('background activity failed', { id: input.id, error: failureMessage(err) }))
        .finally(() => background.delete(p));
      background.add(p);
    },
    auditEvent: (event, who, why, data) =>
      audit({ event, id: input.id, who, why: why ?? null, data: data ?? {}, piiFields: input.piiFields, ...(input.auditSigned ? { sign: true } : {}) }),
    note: (event, who, why) => record(state, { event, who, at: Date.now(), why }),
    cardContext: () => {
      const { history: _history, ...rest } = snapshot(state);
      return { input, state: rest };
    },
  };
}

