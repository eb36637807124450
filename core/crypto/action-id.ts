/** Action ids: derived from the tenant and the idempotency key, so a retried submission lands on the same workflow. */
import { createHash } from 'node:crypto';

const ID_PATTERN = /^act_(.+)_([0-9a-f]{32})$/;

/** `act_<tenant>_<first 32 hex of sha256(idempotencyKey)>`. */
export function actionId(tenant: string, idempotencyKey: string): string {
  return `act_${tenant}_${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32)}`;
}

/** The tenant encoded in an action id, or null when `id` is not one. */
export function tenantOf(id: string): string | null {
  return ID_PATTERN.exec(id)?.[1] ?? null;
}
