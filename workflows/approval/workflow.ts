/**
 * The approval workflow: one per request. Deterministic; time comes from the Temporal clock
 * (`Date.now()` inside a workflow), every side effect is an activity.
 *
 * submitted → (auto_approve | deny) → terminal
 *           → require_approval → card posted → reminders / escalation / decisions → terminal
 * terminal  → Status search attribute, card updated, audited, verdict delivered to callbackUrl.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ApprovalActivities, CardContext, ChannelRef } from '../../activities/types.js';
import type { ApprovalInput, ApprovalState, DecisionInput, DecisionResult, HistoryEntry } from '../contract.js';
import { closeElsewhereSignal, decideSignal, decideUpdate, stateQuery } from '../messages.js';
import { BlueprintKey, DeadlineKey, GroupsKey, StatusKey, TenantKey } from '../search-attributes.js';
import { decisionInputProblem, evaluateDecision } from './rules.js';
import { decidedBy, initialState, RefusalBudget, record, snapshot } from './state.js';
import { dueAt, formatSeconds, makeSchedule, nextWakeAt, remindersAfter, type Progress } from './timers.js';

const { audit } = proxyActivities<ApprovalActivities>({
  // An append takes milliseconds; a short timeout re-dispatches it soon when a worker dies mid-call.
  startToCloseTimeout: '10 seconds',
  // The record must be written: retry until it is (disk full, permissions are operator problems).
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const cards = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/** The final card: nobody waits on it, so it may keep trying for a while (a vendor may lag or rate-limit). */
const finalCards = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '15 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '60 seconds', maximumAttempts: 12 },
});

const { deliverVerdict } = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '60 seconds' },
});

/** An activity error's messages down to the ApplicationFailure (code: message), for history and audit. */
function failureMessage(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err instanceof ActivityFailure ? (err.cause ?? err) : err;
  while (e instanceof Error && parts.length < 4) {
    if (e instanceof ApplicationFailure) {
      parts.push(e.type ? `${e.type}: ${e.message}` : e.message);
      break;
    }
    parts.push(e.message);
    e = e.cause;
  }
  return parts.join('; last error: ') || String(err);
}

export async function approvalWorkflow(input: ApprovalInput): Promise<ApprovalState> {
  const route = input.decision;
  const state = initialState(input);
  const refusals = new RefusalBudget();
  const refs: ChannelRef[] = [];
  const background = new Set<Promise<unknown>>();

  /** Runs a side effect without blocking the caller; the workflow waits for all before it ends. */
  const spawn = (work: () => Promise<unknown>): void => {
    const p: Promise<unknown> = work()
      .catch((err) => log.warn('background activity failed', { id: input.id, error: failureMessage(err) }))
      .finally(() => background.delete(p));
    background.add(p);
  };

  const auditEvent = (event: string, who: string, why?: string | null, data?: Record<string, unknown>) =>
    audit({ event, id: input.id, who, why: why ?? null, data: data ?? {}, piiFields: input.piiFields });

  const note = (event: HistoryEntry['event'], who: string, why?: string): void =>
    record(state, { event, who, at: Date.now(), why });

  const cardContext = (): CardContext => {
    const { history: _history, ...rest } = snapshot(state);
    return { input, state: rest };
  };

  // ---- decisions (update and signal share the same rules) ----

  const refuse = (approverId: string, why: string, data: Record<string, unknown>): void => {
    const budget = refusals.take(approverId);
    if (budget === 'skip') return;
    const text = budget === 'last' ? `${why} (further refused attempts by ${approverId} are counted, not logged)` : why;
    note('refused', approverId, text);
    spawn(() => auditEvent('refused', approverId, text, data));
  };

  const decide = (d: DecisionInput): DecisionResult => {
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
          for (const ref of refs) spawn(() => cards.updateCard({ ref, card }));
        }
      }
    }
    return { counted: outcome.kind === 'counted', message: outcome.message, state: snapshot(state) };
  };

  // ---- submitted: state first, then handlers (buffered decisions are delivered by setHandler) ----

  const start = workflowInfo().startTime.getTime();
  const canEscalate = input.escalation.length > 0 || route.escalateTo !== null;
  const schedule = makeSchedule(start, route, canEscalate);
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
    { key: StatusKey, value: state.status },
    { key: GroupsKey, value: [...route.approvers] },
    { key: BlueprintKey, value: input.blueprint },
    { key: TenantKey, value: input.request.tenant ?? 'default' },
    ...(state.deadline !== null ? [{ key: DeadlineKey, value: new Date(state.deadline) }] : []),
  ]);

  // Scheduled before the handlers run buffered decisions, so `submitted` leads the audit trail.
  const submitted = auditEvent('submitted', input.request.agent, route.reason, {
    request: input.request,
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
  setHandler(decideUpdate, decide, {
    validator: (d: DecisionInput) => {
      const problem = decisionInputProblem(d);
      if (problem) throw new Error(`malformed decision: ${problem}`);
    },
  });
  setHandler(decideSignal, (d: DecisionInput) => void decide(d));
  setHandler(closeElsewhereSignal, ({ reason, via }) => {
    if (state.status !== 'pending') return;
    state.status = 'denied';
    state.deniedBy = 'system';
    state.decidedAt = Date.now();
    state.reason = `decided elsewhere (${String(via).slice(0, 50)}): ${String(reason).slice(0, 500)}`;
    note('denied', 'system', state.reason);
  });

  await submitted;

  if (state.status === 'pending') await awaitApprovers();
  await finish();
  return snapshot(state);

  // ---- require_approval ----

  async function awaitApprovers(): Promise<void> {
    // A decision may already have come in (the web channel serves the approval at once).
    if (state.status === 'pending') await postCard();
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
          await escalate(now);
        } else {
          progress.remindersSent = remindersAfter(schedule, now);
          await remind();
        }
      }
    }
  }

  async function postCard(): Promise<void> {
    const wanted = route.channel;
    let why: string;
    try {
      const posted = await cards.postCard({ channel: wanted, card: cardContext() });
      refs.push(posted.ref);
      why = posted.fallback ?? `card posted to ${posted.ref.channel}`;
    } catch (err) {
      const failed = `${wanted}: posting the card failed (${failureMessage(err)})`;
      if (wanted === 'web') {
        why = `${failed}; the approval is still served by the HTTP API`;
      } else {
        try {
          const posted = await cards.postCard({ channel: 'web', card: cardContext() });
          refs.push(posted.ref);
          why = `${failed}; built-in web channel serves this approval`;
        } catch (err2) {
          why = `${failed}; web: ${failureMessage(err2)}; the approval is still served by the HTTP API`;
        }
      }
    }
    state.channel = refs[0]?.channel ?? 'web';
    note('posted', 'system', why);
    spawn(() => auditEvent('posted', 'system', why, { channel: state.channel, requested: wanted }));
  }

  async function remind(): Promise<void> {
    const pending = (state.eligible ?? []).filter((id) => !state.approvedBy.includes(id) && id !== input.request.agent);
    const why = `reminded ${pending.join(', ') || 'nobody (no eligible approver left)'}`;
    note('reminded', 'system', why);
    spawn(() => auditEvent('reminded', 'system', why, { pending }));
    await Promise.all(
      refs.map((ref) =>
        cards.remind({ ref, card: cardContext(), pending }).catch((err) => log.warn('reminder failed', { id: input.id, error: failureMessage(err) })),
      ),
    );
  }

  async function escalate(now: number): Promise<void> {
    const added = input.escalation.filter((id) => !(state.eligible ?? []).includes(id));
    state.eligible = [...(state.eligible ?? []), ...added];
    state.escalated = true;
    const group = route.escalateTo ?? 'escalation';
    const why =
      input.escalation.length > 0
        ? `escalated to ${group} (${input.escalation.join(', ')}) after ${formatSeconds(route.escalateAfterSeconds ?? (now - start) / 1000)}`
        : `escalation group ${group} has no members; nobody was added`;
    note('escalated', 'system', why);
    if (route.escalateTo !== null && !route.approvers.includes(route.escalateTo)) {
      upsertSearchAttributes([{ key: GroupsKey, value: [...route.approvers, route.escalateTo] }]);
    }
    spawn(() => auditEvent('escalated', 'system', why, { to: input.escalation, group }));
    await Promise.all(
      refs.map((ref) =>
        cards
          .escalate({ ref, card: cardContext(), to: [...input.escalation] })
          .catch((err) => log.warn('escalation notice failed', { id: input.id, error: failureMessage(err) })),
      ),
    );
  }

  // ---- terminal ----

  async function finish(): Promise<void> {
    const by = decidedBy(state) ?? 'system';
    upsertSearchAttributes([{ key: StatusKey, value: state.status }]);
    // Cards follow in the background: a slow or rate-limited chat API never delays the verdict.
    const card = cardContext();
    for (const ref of refs) {
      spawn(() =>
        finalCards.updateCard({ ref, card }).catch((err) => auditEvent('card_update_failed', 'system', failureMessage(err), { channel: ref.channel })),
      );
    }
    await auditEvent(state.status, by, state.reason, {
      approvedBy: state.approvedBy,
      deniedBy: state.deniedBy,
      requestHash: input.requestHash,
      decidedAt: state.decidedAt,
      latencyMs: (state.decidedAt ?? Date.now()) - input.submittedAt,
    });
    if (input.callbackUrl) await deliver(by);
    while (background.size > 0) await Promise.all([...background]);
    await condition(allHandlersFinished);
  }

  async function deliver(by: string): Promise<void> {
    try {
      const result = await deliverVerdict({
        id: input.id,
        callbackUrl: input.callbackUrl!,
        agent: input.request.agent,
        payload: {
          status: state.status,
          verdict: state.status === 'approved' ? 'execute' : 'block',
          reason: state.reason,
          decidedBy: by,
          decidedAt: state.decidedAt ?? Date.now(),
          requestHash: input.requestHash,
          ...(state.retryAfter !== undefined ? { retryAfter: state.retryAfter } : {}),
        },
      });
      state.delivered = true;
      note('delivered', 'system', `callback answered HTTP ${result.status}`);
      await auditEvent('delivered', 'system', null, { status: result.status });
    } catch (err) {
      state.deliveryError = failureMessage(err);
      note('delivery_failed', 'system', state.deliveryError);
      await auditEvent('delivery_failed', 'system', state.deliveryError, {});
    }
  }
}
