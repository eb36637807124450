import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Decider } from '../integrations/types.js';
import { Message, type ApprovalState, type CloseElsewhereInput, type DecisionInput, type DecisionResult } from '../workflows/contract.js';

/** The {@link Decider} inbound vendor handlers use: the workflow's `decide` update, signal and `state` query. */
export function createDecider(client: Client): Decider {
  return {
    decide: (id, input) => client.workflow.getHandle(id).executeUpdate<DecisionResult, [DecisionInput]>(Message.Decide, { args: [input] }),
    signal: (id, input) => client.workflow.getHandle(id).signal<[DecisionInput]>(Message.Decide, input),
    closeElsewhere: (id, input) => client.workflow.getHandle(id).signal<[CloseElsewhereInput]>(Message.CloseElsewhere, input),
    async state(id) {
      try {
        return await client.workflow.getHandle(id).query<ApprovalState>(Message.State);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
    },
  };
}
