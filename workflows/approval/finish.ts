/**
 * The terminal steps: Status search attribute, final cards (in the background), the audit record,
 * the verdict delivered to the callback, then waiting for background work and handlers.
 */
import { allHandlersFinished, condition, upsertSearchAttributes } from '@temporalio/workflow';
import { decidedBy, SearchAttributeKey } from '../../core/index.js';
import { deliverVerdict, finalCards } from './activity-proxies.js';
import { activityRefs } from './cards.js';
import type { ApprovalContext } from './context.js';
import { failureMessage } from './failure.js';
import { upsertOutcome } from './views.js';

export async function finish(ctx: ApprovalContext): Promise<void> {
  const { input, state, spawn, auditEvent, cardContext, background } = ctx;
  const by = decidedBy(state) ?? 'system';
  upsertSearchAttributes([{ key: SearchAttributeKey.Status, value: state.status }]);
  upsertOutcome(by, state.reason);
  // Cards follow in the background: a slow or rate-limited chat API never delays the verdict.
  const card = cardContext();
  for (const ref of activityRefs(ctx)) {
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
  if (input.callbackUrl) await deliver(ctx, by);
  while (background.size > 0) await Promise.all([...background]);
  await condition(allHandlersFinished);
}

/** Tells the sandbox the verdict (signed POST to callbackUrl); a failure is recorded, not thrown. */
async function deliver(ctx: ApprovalContext, by: string): Promise<void> {
  const { input, state, note, auditEvent } = ctx;
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
