import { createHash } from 'node:crypto';
import type { ActionRequest } from './types.js';

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

/** JSON with object keys sorted at every depth; the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
