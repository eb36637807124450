/**
 * Typed handles of the approval workflow's messages, for the API and tests:
 * `handle.executeUpdate(decideUpdate, { args: [input] })`, `handle.signal(decideSignal, input)`,
 * `handle.query(stateQuery)`. Importing this file from client code is fine (define* are plain).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { Message, type ApprovalState, type CloseElsewhereInput, type DecisionInput, type DecisionResult } from './contract.js';

export const decideUpdate = defineUpdate<DecisionResult, [DecisionInput]>(Message.Decide);
export const decideSignal = defineSignal<[DecisionInput]>(Message.Decide);
export const stateQuery = defineQuery<ApprovalState>(Message.State);
export const closeElsewhereSignal = defineSignal<[CloseElsewhereInput]>(Message.CloseElsewhere);
