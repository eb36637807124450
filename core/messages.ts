/**
 * Typed handles of the approval workflow's messages: the workflow sets handlers on them, the API
 * and channels send them (`handle.executeUpdate(decideUpdate, { args: [input] })`,
 * `handle.signal(decideSignal, input)`, `handle.query(stateQuery)`). `define*` are plain values,
 * safe in client code. Message names are on the wire: never rename one.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalState, CloseElsewhereInput, DecisionInput, DecisionResult, HaltInput, RefusalInput, WithdrawInput } from './approval.js';

/** Message names. Decisions come by Update (the caller learns if it counted) or by Signal (fire and forget). */
export const Message = {
  Decide: 'decide', // update and signal
  State: 'state', // query
  CloseElsewhere: 'closeElsewhere', // signal: the proposal was decided outside Countersign
  Refuse: 'refuse', // signal: a channel's answer that does not count, recorded as refused
  Withdraw: 'withdraw', // update: the submitting agent takes its pending request back
  Halt: 'halt', // signal: the kill switch ends a pending request denied
} as const;

export const decideUpdate = defineUpdate<DecisionResult, [DecisionInput]>(Message.Decide);
export const decideSignal = defineSignal<[DecisionInput]>(Message.Decide);
export const stateQuery = defineQuery<ApprovalState>(Message.State);
export const closeElsewhereSignal = defineSignal<[CloseElsewhereInput]>(Message.CloseElsewhere);
export const refuseSignal = defineSignal<[RefusalInput]>(Message.Refuse);
export const withdrawUpdate = defineUpdate<ApprovalState, [WithdrawInput]>(Message.Withdraw);
export const haltSignal = defineSignal<[HaltInput]>(Message.Halt);
