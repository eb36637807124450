/**
 * The approval workflow: one per request. Deterministic; time comes from the Temporal clock
 * (`Date.now()` inside a workflow), every side effect is an activity.
 *
 * submitted → (auto_approve | deny) → terminal
 *           → require_approval → card posted → reminders / escalation / decisions → terminal
 * terminal  → Status search attribute, card updated, audited, verdict delivered to callbackUrl.
 */
import { condition, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import {
  closeElsewhereSignal,
  withdrawUpdate,
  haltSignal,
  refuseSignal,
  decideSignal,
  decideUpdate,
  auditedRequest,
  SearchAttributeKey,
  stateQuery,
  type ApprovalInput,
  type ApprovalState,
  type DecisionInput,
} from '../../core/index.js';
import { escalate, postCard, remind, webCardsInWorkflow } from './cards.js';
import { createContext, type ApprovalContext } from './context.js';
import { closeElsewhereHandler, decisionHandler, haltHandler, refusalHandler, validateDecision, withdrawHandler, withdrawValidator } from './decisions.js';
import { finish } from './finish.js';
import { snapshot } from './state.js';
import { viewAttributes } from './views.js';
import { dueAt, formatSeconds, makeSchedule, nextWakeAt, remindersAfter, type Progress, type Schedule } from './timers.js';

export async function approvalWorkflow(input: ApprovalInput): Promise<ApprovalState> {
  const ctx = createContext(input);
  const { route, state, note } = ctx;
  const decide = decisionHandler(ctx);
  if (!input.block && route.verdict === 'require_approval') {
    ctx.webCardsInWorkflow = webCardsInWorkflow();
    ctx.viewAttributes = viewAttributes();
  }

  // ---- submitted: state first, then handlers (buffered decisions are delivered by setHandler) ----

  const canEscalate = input.escalation.length > 0 || route.escalateTo !== null;
  const schedule = makeSchedule(ctx.start, route, canEscalate);
  note('submitted', input.request.agent, route.reason);
  if (input.block) {
    // A rate limit or cooldown holds: end at once, telling the agent when to retry.
    state.status = 'blocked';
    state.decidedAt = Date.now();
    state.reason = input.block.reason;
    state.retryAfter = input.block.retryAfter;
    note('blocked', 'system', input.block.reason);
  } else if (route.verdict === 'auto_approve') {
    state.status = 'approved';
    state.decidedAt = Date.now();
    note('approved', 'system', route.reason);
  } else if (route.verdict !== 'require_approval') {
    state.status = 'denied';
    state.decidedAt = Date.now();
    note('denied', 'system', route.reason);
  } else {
    state.deadline = schedule.deadline;
  }
  upsertSearchAttributes([
    { key: SearchAttributeKey.Status, value: state.status },
    { key: SearchAttributeKey.Groups, value: [...route.approvers] },
    { key: SearchAttributeKey.Blueprint, value: input.blueprint },
    { key: SearchAttributeKey.Tenant, value: input.request.tenant ?? 'default' },
    ...(state.deadline !== null ? [{ key: SearchAttributeKey.Deadline, value: new Date(state.deadline) }] : []),
  ]);

  // Scheduled before the handlers run buffered decisions, so `submitted` leads the audit trail.
  const submitted = ctx.auditEvent('submitted', input.request.agent, route.reason, {
    request: auditedRequest(input),
    requestHash: input.requestHash,
    blueprint: input.blueprint,
    policyHash: input.policyHash,
    verdict: route.verdict,
    rule: route.rule,
    explanation: route.explanation,
    approvers: route.approvers,
    quorum: route.quorum,
  });

  setHandler(stateQuery, () => snapshot(state));
  setHandler(decideUpdate, decide, { validator: validateDecision });
  setHandler(decideSignal, (d: DecisionInput) => void decide(d));
  setHandler(closeElsewhereSignal, closeElsewhereHandler(ctx));
  setHandler(refuseSignal, refusalHandler(ctx));
  setHandler(withdrawUpdate, withdrawHandler(ctx), { validator: withdrawValidator(ctx) });
  setHandler(haltSignal, haltHandler(ctx));

  await submitted;

  if (state.status === 'pending') await awaitApprovers(ctx, schedule);
  await finish(ctx);
  return snapshot(state);
}

/** require_approval: post the card, then remind, escalate and expire on schedule until a decision ends it. */
async function awaitApprovers(ctx: ApprovalContext, schedule: Schedule): Promise<void> {
  const { state, route, note } = ctx;
  // A decision may already have come in (the web channel serves the approval at once).
  if (state.status === 'pending') await postCard(ctx);
  const progress: Progress = { remindersSent: 0, escalated: false };
  while (state.status === 'pending') {
    const wait = nextWakeAt(schedule, progress) - Date.now();
    if (wait > 0 && (await condition(() => state.status !== 'pending', wait))) break;
    const now = Date.now();
    for (const due of dueAt(schedule, progress, now)) {
      if (state.status !== 'pending') break;
      if (due === 'expire') {
        state.status = 'expired';
        state.decidedAt = now;
        state.reason = `no decision within the SLA of ${formatSeconds(route.slaSeconds)}`;
        note('expired', 'system', state.reason);
      } else if (due === 'escalate') {
        progress.escalated = true;
        await escalate(ctx, now);
      } else {
        progress.remindersSent = remindersAfter(schedule, now);
        await remind(ctx);
      }
    }
  }
}
