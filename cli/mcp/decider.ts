/**
 * The stdio proxy's agent session: the TypeScript client over HTTP with the agent's key (it
 * retries 503s with one idempotency key). The waiting and refusing is the gateway's own
 * (integrations/front-doors/mcp/decider.ts).
 */
import type { Countersign } from '../../client/index.js';
import { sessionDecider, type ToolDecider } from '../../integrations/front-doors/mcp/index.js';

export function httpDecider(client: Countersign, blueprint: string, serverName: string): ToolDecider {
  return sessionDecider(
    {
      submit: (submission, signal) => client.submit(submission, { signal }),
      read: (id, waitSeconds, signal) => client.get(id, { wait: waitSeconds }, { signal }),
      withdraw: (id, reason) => client.withdraw(id, reason, { timeoutMs: 5000 }),
    },
    blueprint,
    serverName,
  );
}
