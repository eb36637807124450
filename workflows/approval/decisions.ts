/**
 * Decisions on a pending approval: the `decide` update and signal share the same rules; refused
 * attempts are noted and audited within a budget; `closeElsewhere` denies from another system.
 */
import {
  decidedBy,
  type ApprovalState,
  type CloseElsewhereInput,
  type DecisionInput,
  type DecisionResult,
  type HaltInput,
  type RefusalInput,
  type WithdrawInput,
} from '../../core/index.js';
import { cards } from './activity-proxies.js';
import { activityRefs } from './cards.js';
import type { ApprovalContext } from './context.js';
import { decisionInputProblem, evaluateDecision } from './rules.js';
import { snapshot } from './state.js';
import { upsertApproved } from './views.js';

/** The update's validator: a malformed decision is rejected before it reaches history. */
export function validateDecision(d: DecisionInput): void {
  const problem = decisionInputProblem(d);
  if (problem) throw new Error(`malformed decision: ${problem}`);
}

/** Notes and audits a refused attempt, within the refusal budget (a flood of them logs a bounded number). */
function refuser(ctx: ApprovalContext): (approverId: string, why: string, data: Record<string, unknown>) => void {
  const { note, spawn, auditEvent } = ctx;
  return (approverId, why, data) => {
    const budget = ctx.refusals.take(approverId);
    if (budget === 'skip') return;
    const text = budget === 'last' ? `${why} (further refused attempts by ${approverId} are counted, not logged)` : why;
    note('refused', approverId, text);
    spawn(() => auditEvent('refused', approverId, text, data));
  };
}

/** The `refuse` signal: a channel's answer that does not count goes on the record, nothing else changes. */
export function refusalHandler(ctx: ApprovalContext): (r: RefusalInput) => void {
  const refuse = refuser(ctx);
  return ({ who, via, why }) => {
    const person = typeof who === 'string' && who !== '' ? who.slice(0, 200) : 'unknown';
    refuse(person, String(why).slice(0, 500), { code: 'refused-by-channel', via: String(via).slice(0, 50) });
  };
}

/** The handler of the `decide` update and signal. */
export function decisionHandler(ctx: ApprovalContext): (d: DecisionInput) => DecisionResult {
  const { input, state, note, spawn, auditEvent, cardContext } = ctx;
  const refuse = refuser(ctx);

  return (d: DecisionInput): DecisionResult => {
    const problem = decisionInputProblem(d);
    if (problem) {
      const raw = (d as unknown as Record<string, unknown> | null)?.approverId;
      const who = typeof raw === 'string' && raw !== '' ? raw.slice(0, 200) : 'unknown';
      refuse(who, `malformed decision: ${problem}`, { code: 'malformed' });
      return { counted: false, message: `malformed decision: ${problem}`, state: snapshot(state) };
    }
    const outcome = evaluateDecision(
      {
        status: state.status,
        agent: input.request.agent,
        eligible: state.eligible ?? input.eligible,
        requestHash: input.requestHash,
        quorum: state.quorum,
        approvedBy: state.approvedBy,
        deniedBy: state.deniedBy,
        decidedBy: decidedBy(state),
      },
      d,
    );
    if (outcome.kind === 'refused') {
      refuse(d.approverId, outcome.message, { code: outcome.code, decision: d.decision, via: d.via });
    } else if (outcome.kind === 'counted') {
      const now = Date.now();
      const comment = d.reason?.trim();
      if (d.decision === 'deny') {
        state.status = 'denied';
        state.deniedBy = d.approverId;
        state.reason = comment || 'no reason given';
        state.decidedAt = now;
        note('denied', d.approverId, `${state.reason} (via ${d.via})`);
      } else {
        state.approvedBy.push(d.approverId);
        upsertApproved(ctx);
        if (outcome.status === 'approved') {
          state.status = 'approved';
          state.decidedAt = now;
          state.reason = `approved by ${state.approvedBy.join(', ')}${comment ? `: ${comment}` : ''}`;
          note('approved', d.approverId, `${outcome.message} (via ${d.via})`);
        } else {
          note('decided', d.approverId, `${outcome.message} (via ${d.via})`);
          spawn(() => auditEvent('decided', d.approverId, outcome.message, { decision: 'approve', via: d.via, reason: comment ?? null }));
          // Quorum progress shows on every card, not only to the person who clicked.
          const card = cardContext();
          for (const ref of activityRefs(ctx)) spawn(() => cards.updateCard({ ref, card }));
        }
      }
    }
    return { counted: outcome.kind === 'counted', message: outcome.message, state: snapshot(state) };
  };
}

/** The `closeElsewhere` signal: the proposal was decided outside Countersign, so a pending approval ends denied. */
export function closeElsewhereHandler(ctx: ApprovalContext): (input: CloseElsewhereInput) => void {
  const { state, note } = ctx;
  return ({ reason, via }) => {
    if (state.status !== 'pending') return;
    state.status = 'denied';
    state.deniedBy = 'system';
    state.decidedAt = Date.now();
    state.reason = `decided elsewhere (${String(via).slice(0, 50)}): ${String(reason).slice(0, 500)}`;
    note('denied', 'system', state.reason);
  };
}

/**
 * The `withdraw` update's validator: only the submitting agent, only while pending. A rejected
 * update leaves no trace in history, so a late or foreign withdraw changes nothing.
 */
export function withdrawValidator(ctx: ApprovalContext): (w: WithdrawInput) => void {
  return (w) => {
    if (typeof w?.agent !== 'string' || typeof w.reason !== 'string') throw new Error('malformed withdraw: agent and reason are required');
    if (w.agent !== ctx.input.request.agent) throw new Error(`only ${ctx.input.request.agent}, which submitted it, may withdraw this request`);
    if (ctx.state.status !== 'pending') throw new Error(`the request is already ${ctx.state.status}: nothing to withdraw`);
  };
}

/** The `withdraw` update: the pending request ends `withdrawn`; the sandbox is told to block. */
export function withdrawHandler(ctx: ApprovalContext): (w: WithdrawInput) => ApprovalState {
  const { state, note } = ctx;
  return (w) => {
    if (state.status === 'pending') {
      state.status = 'withdrawn';
      state.withdrawnBy = w.agent;
      state.decidedAt = Date.now();
      state.reason = String(w.reason).slice(0, 500) || 'withdrawn by the agent';
      note('withdrawn', w.agent, `${state.reason} (via ${String(w.via).slice(0, 50)})`);
    }
    return snapshot(state);
  };
}

/** The `halt` signal (kill switch with --deny-pending): a pending request ends denied with the freeze's reason. */
export function haltHandler(ctx: ApprovalContext): (h: HaltInput) => void {
  const { state, note } = ctx;
  return (h) => {
    if (state.status !== 'pending') return;
    state.status = 'denied';
    state.deniedBy = String(h.by).slice(0, 100);
    state.decidedAt = Date.now();
    state.reason = String(h.reason).slice(0, 600);
    note('denied', state.deniedBy, state.reason);
  };
}
