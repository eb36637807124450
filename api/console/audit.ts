/**
 * The auditors' view of the audit log (`approvers[].auditorOf`): this service's hash-chained
 * `audit.jsonl`, the whole chain verified on every visit (`countersign audit verify`'s check) and
 * the entries of the auditor's tenants, newest first. Entries were redacted when written (the
 * policy's PII fields are `[redacted]` in the file itself), so nothing here can show more.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { auditPublicKeys, tenantOf, verifyAuditLog, type AuditRecord, type VerifyResult } from '../../core/crypto/index.js';
import { covers, type Approver } from '../../core/index.js';

export interface AuditView {
  verified: VerifyResult;
  entries: AuditRecord[];
  /** Entries of the auditor's tenants, before the limit. */
  matched: number;
}

/** The tenant an entry belongs to: its action id's, else the one its data names (API refusals). */
export function entryTenant(r: AuditRecord): string | null {
  const fromId = tenantOf(r.id);
  if (fromId !== null) return fromId;
  const data = r.data as { tenant?: unknown; request?: { tenant?: unknown } };
  if (typeof data.tenant === 'string') return data.tenant;
  return typeof data.request?.tenant === 'string' ? data.request.tenant : null;
}

/** Reads `file` and returns the chain's status and `auditor`'s entries (newest first, at most `limit`); null when there is no file yet. */
export async function readAuditView(file: string, auditor: Approver, limit = 500): Promise<AuditView | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Signatures are checked with the public key the worker keeps beside its log, when it is there.
  const pem = await readFile(path.join(path.dirname(file), 'audit-signing-key.pub.pem'), 'utf8').catch(() => null);
  const verified = verifyAuditLog(text, pem ? { publicKeys: auditPublicKeys([pem]) } : {});
  const mine: AuditRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let r: AuditRecord;
    try {
      r = JSON.parse(line) as AuditRecord;
    } catch {
      continue; // the chain status names the bad line
    }
    const tenant = entryTenant(r);
    if (tenant !== null && covers(auditor.auditorOf, tenant)) mine.push(r);
  }
  return { verified, entries: mine.reverse().slice(0, limit), matched: mine.length };
}
