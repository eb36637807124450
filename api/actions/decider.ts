/** The {@link Decider} channels' inbound handlers and front doors use: the workflow's typed `decide` update and signal, `closeElsewhere` and `state`. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { closeElsewhereSignal, decideSignal, decideUpdate, stateQuery, type Decider } from '../../core/index.js';

export function createDecider(client: Client): Decider {
  return {
    decide: (id, input) => client.workflow.getHandle(id).executeUpdate(decideUpdate, { args: [input] }),
    signal: (id, input) => client.workflow.getHandle(id).signal(decideSignal, input),
    closeElsewhere: (id, input) => client.workflow.getHandle(id).signal(closeElsewhereSignal, input),
    async state(id) {
      try {
        return await client.workflow.getHandle(id).query(stateQuery);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
    },
  };
}
