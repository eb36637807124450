import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { ActionRequest } from '../request.js';

/**
 * sha256 over the canonical JSON (sorted keys) of what an approver approves: action, resource,
 * params, context, agent and tenant. An approval is bound to this hash, so a request changed
 * after the card was shown can't ride on an old approval.
 */
export function requestHash(request: ActionRequest): string {
  const bound = {
    action: request.action,
    agent: request.agent,
    context: request.context ?? null,
    params: request.params ?? null,
    resource: request.resource ?? null,
    tenant: request.tenant ?? null,
  };
  return createHash('sha256').update(canonicalJson(bound)).digest('hex');
}
