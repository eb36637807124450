/**
 * The approval's in-workflow state and its bounded history. Pure (no Temporal imports).
 */
import { redact, type ApprovalInput, type ApprovalState, type HistoryEntry, type RequestView } from '../../core/index.js';

/** History keeps the last this-many entries; `historyDropped` counts the rest. */
export const MAX_HISTORY = 200;
/** Refused attempts logged (history + audit) per approver id; later ones only count. */
export const MAX_REFUSED_LOGGED_PER_APPROVER = 10;
/** Refused attempts logged in total, so many made-up approver ids cannot flood it either. */
export const MAX_REFUSED_LOGGED_TOTAL = 100;

export function initialState(input: ApprovalInput): ApprovalState {
  const d = input.decision;
  return {
    id: input.id,
    status: 'pending',
    verdict: d.verdict,
    reason: d.reason,
    approvers: [...d.approvers],
    quorum: Math.max(1, d.quorum || 1),
    approvedBy: [],
    deniedBy: null,
    deadline: null,
    decidedAt: null,
    delivered: false,
    requestHash: input.requestHash,
    history: [],
    historyDropped: 0,
    eligible: [...input.eligible],
    escalated: false,
    channel: null,
    deliveryError: null,
    request: requestView(input),
    rule: { path: d.rule.path, line: d.rule.line, ...(input.policyFile !== undefined ? { file: input.policyFile } : {}) },
    explanation: [...d.explanation],
  };
}

/** Input arrives as JSON, so a JSON round trip is a faithful deep copy. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The request as readers see it: every field the policy classes as PII is `[redacted]`, at any depth. */
export function requestView(input: ApprovalInput): RequestView {
  const r = input.request;
  const view: RequestView = { blueprint: input.blueprint, action: r.action, agent: r.agent, tenant: r.tenant ?? 'default' };
  if (r.resource !== undefined) view.resource = r.resource;
  if (r.params !== undefined) view.params = redact(copy(r.params), input.piiFields);
  if (r.context !== undefined) view.context = redact(copy(r.context), input.piiFields);
  return view;
}

export function record(state: ApprovalState, entry: HistoryEntry): void {
  if (entry.why === undefined) delete entry.why;
  state.history.push(entry);
  const over = state.history.length - MAX_HISTORY;
  if (over > 0) {
    state.history.splice(0, over);
    state.historyDropped = (state.historyDropped ?? 0) + over;
  }
}

/** A deep copy, so a query result never aliases mutable workflow state. */
export function snapshot(state: ApprovalState): ApprovalState {
  return {
    ...state,
    approvers: [...state.approvers],
    approvedBy: [...state.approvedBy],
    history: state.history.map((h) => ({ ...h })),
    eligible: [...(state.eligible ?? [])],
    ...(state.explanation ? { explanation: [...state.explanation] } : {}),
  };
}

/** Counts refused attempts and says whether this one may still be logged. */
export class RefusalBudget {
  private readonly perApprover = new Map<string, number>();
  private total = 0;
  suppressed = 0;

  /** `log`: record it; `last`: record it and say later ones are not logged; `skip`: count only. */
  take(approverId: string): 'log' | 'last' | 'skip' {
    const n = (this.perApprover.get(approverId) ?? 0) + 1;
    if (n > MAX_REFUSED_LOGGED_PER_APPROVER || this.total >= MAX_REFUSED_LOGGED_TOTAL) {
      this.suppressed++;
      return 'skip';
    }
    this.perApprover.set(approverId, n);
    this.total++;
    return n === MAX_REFUSED_LOGGED_PER_APPROVER || this.total === MAX_REFUSED_LOGGED_TOTAL ? 'last' : 'log';
  }
}
