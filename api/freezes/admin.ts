/**
 * The kill switch's operations for an admin (`/v1/admin/freezes`): freeze an agent, a blueprint
 * or a tenant (optionally ending its pending requests denied), unfreeze, list. The list lives in
 * the freezes workflow; every change is recorded on the audit trail (the tenant's, or `*` for an
 * agent or blueprint) and read again by this process at once.
 */
import type { Client } from '@temporalio/client';
import {
  APPROVAL_WORKFLOW,
  FREEZES_WORKFLOW,
  freezesWorkflowId,
  freezeUpdate,
  haltSignal,
  quote,
  SearchAttribute,
  unfreezeUpdate,
  type Freeze,
  type FreezeScope,
  type FreezesState,
} from '../../core/index.js';
import type { Logger } from '../../infra/logger.js';
import type { Refusals } from '../actions/refusals.js';
import type { FreezeWatch } from './watch.js';

export interface FreezeAdminDeps {
  client: Client;
  taskQueue: string;
  refusals: Refusals;
  watch: FreezeWatch;
  logger: Logger;
}

const ATTRIBUTE: Record<FreezeScope, string> = { agent: SearchAttribute.Agent, blueprint: SearchAttribute.Blueprint, tenant: SearchAttribute.Tenant };

export class FreezeAdmin {
  constructor(private readonly deps: FreezeAdminDeps) {}

  list(): Promise<Freeze[]> {
    return this.deps.watch.refresh();
  }

  /** Freezes `scope value`; with `denyPending`, each pending request of it ends denied "frozen by <admin>: <reason>". */
  async freeze(admin: string, scope: FreezeScope, value: string, reason: string, denyPending: boolean): Promise<{ freezes: Freeze[]; denied: string[] }> {
    const { client, taskQueue } = this.deps;
    await client.workflow.start<(s: FreezesState) => Promise<void>>(FREEZES_WORKFLOW, {
      workflowId: freezesWorkflowId(taskQueue),
      taskQueue,
      args: [{ freezes: [] }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const freezes = await client.workflow.getHandle(freezesWorkflowId(taskQueue)).executeUpdate(freezeUpdate, { args: [{ scope, value, reason, by: admin }] });
    await this.deps.watch.refresh().catch(() => undefined);
    const denied = denyPending ? await this.denyPending(admin, scope, value, reason) : [];
    this.deps.logger.warn({ admin, scope, value, denied: denied.length }, `frozen: ${scope} ${value} by ${admin}: ${reason}`);
    await this.deps.refusals.record(scope === 'tenant' ? value : '*', { event: 'frozen', id: `${scope}:${value}`, who: admin, why: reason, data: { scope, value, denied } });
    return { freezes, denied };
  }

  async unfreeze(admin: string, scope: FreezeScope, value: string): Promise<Freeze[]> {
    const handle = this.deps.client.workflow.getHandle(freezesWorkflowId(this.deps.taskQueue));
    const freezes = await handle.executeUpdate(unfreezeUpdate, { args: [{ scope, value, by: admin }] }).catch(async (error: unknown) => {
      if ((error as { name?: string }).name === 'WorkflowNotFoundError') return [] as Freeze[];
      throw error;
    });
    await this.deps.watch.refresh().catch(() => undefined);
    this.deps.logger.warn({ admin, scope, value }, `unfrozen: ${scope} ${value} by ${admin}`);
    await this.deps.refusals.record(scope === 'tenant' ? value : '*', { event: 'unfrozen', id: `${scope}:${value}`, who: admin, why: null, data: { scope, value } });
    return freezes;
  }

  /** Ends every pending request of `scope value` denied (the `halt` signal); the ids it signalled. */
  private async denyPending(admin: string, scope: FreezeScope, value: string, reason: string): Promise<string[]> {
    const query = `WorkflowType = ${quote(APPROVAL_WORKFLOW)} AND ${SearchAttribute.Status} = ${quote('pending')} AND ${ATTRIBUTE[scope]} = ${quote(value)}`;
    const ids: string[] = [];
    for await (const info of this.deps.client.workflow.list({ query })) ids.push(info.workflowId);
    const halt = { by: admin, reason: `frozen by ${admin}: ${reason}` };
    await Promise.all(ids.map((id) => this.deps.client.workflow.getHandle(id).signal(haltSignal, halt).catch((error: unknown) => this.deps.logger.error({ err: error, id }, 'could not end a pending request of a frozen scope'))));
    return ids;
  }
}
