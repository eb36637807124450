import type { CompiledCondition } from '../expression/index.js';
import type { ActionRequest } from '../../core/index.js';

/** ` (missing: threat_score)` for reasons; runs the slow trace only on the rare unknown path. */
export function missingNote(condition: CompiledCondition, request: ActionRequest): string {
  const { missing } = condition.trace(request);
  return missing.length === 0 ? ' (a value had the wrong type)' : ` (missing: ${missing.join(', ')})`;
}
