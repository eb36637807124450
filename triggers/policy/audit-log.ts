/**
 * What a policy's `security.auditLog` asks of the audit log, read from the validated document:
 * the submission path sets it on each request, and a worker checks at start that it can sign.
 */
import type { CompiledPolicy } from './compiled.js';

const auditLogOf = (policy: Pick<CompiledPolicy, 'source'>): Record<string, unknown> =>
  (policy.source as { security?: { auditLog?: Record<string, unknown> } } | null)?.security?.auditLog ?? {};

/** Whether the policy's `security.auditLog.signedEntries` is true: every audit entry of its requests is signed. */
export function signsAudit(policy: Pick<CompiledPolicy, 'source'>): boolean {
  return auditLogOf(policy).signedEntries === true;
}

/** Whether the policy's `security.auditLog.includeModelInputOutput` is true (else `context.model` stays out of the audit log). */
export function keepsModelIO(policy: Pick<CompiledPolicy, 'source'>): boolean {
  return auditLogOf(policy).includeModelInputOutput === true;
}
