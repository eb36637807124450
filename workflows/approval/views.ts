/**
 * What visibility keeps up to date while an approval waits, so lists answer without reading each
 * approval: who may decide it now (`CountersignEligible`, grown by an escalation) and how many
 * have approved (the memo's `approved`).
 */
import { patched, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { SearchAttributeKey, type ApprovalMemo } from '../../core/index.js';
import type { ApprovalContext } from './context.js';

/**
 * Patch id: escalations upsert `CountersignEligible` and counted approvals upsert the memo.
 * Histories from before it recorded neither command and replay without them.
 */
export const VIEW_ATTRIBUTES = 'view-attributes';

/** Patch id: the memo gets who decided and why when the approval ends (the console's history reads it). */
export const OUTCOME_MEMO = 'outcome-memo';

/** Whether this approval keeps its view attributes current. Called once, right after `webCardsInWorkflow()`. */
export function viewAttributes(): boolean {
  return patched(VIEW_ATTRIBUTES);
}

/** After an escalation: the eligible set as it is now. */
export function upsertEligible(ctx: ApprovalContext): void {
  if (ctx.viewAttributes) upsertSearchAttributes([{ key: SearchAttributeKey.Eligible, value: [...(ctx.state.eligible ?? [])] }]);
}

/** After a counted approval: quorum progress. */
export function upsertApproved(ctx: ApprovalContext): void {
  if (ctx.viewAttributes) upsertMemo({ approved: ctx.state.approvedBy.length } satisfies Partial<ApprovalMemo>);
}

/** When it ends: who decided and why, so a history list shows them without reading each approval. */
export function upsertOutcome(decidedBy: string, reason: string): void {
  if (patched(OUTCOME_MEMO)) upsertMemo({ decidedBy, reason } satisfies Partial<ApprovalMemo>);
}
