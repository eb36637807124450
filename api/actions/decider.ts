/**
 * The {@link Decider} channels' inbound handlers and front doors use: the workflow's typed `decide`
 * update and signal, `closeElsewhere`, `refuse` and `state`. Each call has a deadline, so a vendor's webhook
 * is answered (with an error) in seconds while Temporal is unreachable instead of after the SDK's
 * twenty seconds of retries; vendors time out long before that.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { closeElsewhereSignal, decideSignal, decideUpdate, refuseSignal, stateQuery, type Decider } from '../../core/index.js';
import { DEFAULT_TEMPORAL_DEADLINE_MS } from './gate.js';

export function createDecider(client: Client, deadlineMs = DEFAULT_TEMPORAL_DEADLINE_MS): Decider {
  const bounded = <T>(fn: () => Promise<T>): Promise<T> => client.withDeadline(Date.now() + deadlineMs, fn);
  return {
    // An update waits for the worker to run it: twice the deadline, as the API's own decisions get.
    decide: (id, input) =>
      client.withDeadline(Date.now() + 2 * deadlineMs, () => client.workflow.getHandle(id).executeUpdate(decideUpdate, { args: [input] })),
    signal: (id, input) => bounded(() => client.workflow.getHandle(id).signal(decideSignal, input)),
    closeElsewhere: (id, input) => bounded(() => client.workflow.getHandle(id).signal(closeElsewhereSignal, input)),
    refuse: (id, input) => bounded(() => client.workflow.getHandle(id).signal(refuseSignal, input)),
    async state(id) {
      try {
        return await bounded(() => client.workflow.getHandle(id).query(stateQuery));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
    },
  };
}
