import { MISSING } from './expression/index.js';
import type { ActionRequest } from '../core/index.js';

/**
 * How expressions see a request: `action`, `resource`, `agent`, `tenant`, `context.*` and `params.*`
 * by name; every param bare (`factor`); and, for action `refund` or `refund.full`, the params again
 * under the action's first segment (`refund.amount`). Own properties only.
 */
export function resolveRoot(input: unknown, name: string): unknown {
  const request = input as ActionRequest;
  switch (name) {
    case 'action':
      return request.action;
    case 'resource':
      return request.resource ?? MISSING;
    case 'agent':
      return request.agent;
    case 'tenant':
      return request.tenant ?? MISSING;
    case 'context':
      return request.context ?? MISSING;
    case 'params':
      return request.params ?? MISSING;
  }
  const params = request.params;
  if (params !== undefined && params !== null && Object.hasOwn(params, name)) return params[name];
  if (params !== undefined && params !== null && firstSegmentIs(request.action, name)) return params;
  return MISSING;
}

/** The action name expressions match patterns against. */
export function actionOf(input: unknown): string {
  return (input as ActionRequest).action;
}

function firstSegmentIs(action: string, name: string): boolean {
  return action.length >= name.length && action.startsWith(name) && (action.length === name.length || action.charCodeAt(name.length) === 46);
}
