/**
 * The kill switch's contract: what is frozen (an agent, a blueprint or a whole tenant), held
 * durably in one freezes workflow per task queue, changed by Updates and read by a Query. Every
 * API process reads it, so a freeze takes effect everywhere within its refresh interval. Names
 * are on the wire: never rename one.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const FREEZES_WORKFLOW = 'freezesWorkflow';

export const FreezeScope = { Agent: 'agent', Blueprint: 'blueprint', Tenant: 'tenant' } as const;
export type FreezeScope = (typeof FreezeScope)[keyof typeof FreezeScope];
export const FREEZE_SCOPES: readonly FreezeScope[] = Object.values(FreezeScope);

/** One thing that may not act until it is unfrozen. */
export interface Freeze {
  scope: FreezeScope;
  /** The agent id, blueprint name or tenant. */
  value: string;
  reason: string;
  /** The admin who froze it. */
  by: string;
  /** Epoch ms (workflow clock). */
  at: number;
}

export interface FreezeInput {
  scope: FreezeScope;
  value: string;
  reason: string;
  by: string;
}

export interface UnfreezeInput {
  scope: FreezeScope;
  value: string;
  by: string;
}

export interface FreezesState {
  freezes: Freeze[];
}

/** One freezes workflow per task queue (one deployment): `freezes/<task queue>`. */
export function freezesWorkflowId(taskQueue: string): string {
  return `freezes/${encodeURIComponent(taskQueue)}`;
}

export const freezeUpdate = defineUpdate<Freeze[], [FreezeInput]>('freeze');
export const unfreezeUpdate = defineUpdate<Freeze[], [UnfreezeInput]>('unfreeze');
export const freezesQuery = defineQuery<Freeze[]>('freezes');

/** The freeze that stops `agent` of `tenant` submitting to `blueprint`, if any (agent first, then blueprint, then tenant). */
export function freezeFor(freezes: readonly Freeze[], who: { agent: string; tenant: string; blueprint: string }): Freeze | null {
  for (const scope of FREEZE_SCOPES) {
    const value = scope === 'agent' ? who.agent : scope === 'blueprint' ? who.blueprint : who.tenant;
    const hit = freezes.find((f) => f.scope === scope && f.value === value);
    if (hit) return hit;
  }
  return null;
}
