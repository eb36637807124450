/** One audit record: its shape and how its hash chains to the previous one (over canonical JSON). */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { AuditSignature } from './audit-signing.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The first entry's `prev`. */
export const GENESIS_HASH = '0'.repeat(64);

/** One line of the audit log. */
export interface AuditRecord {
  /** 1 for the first line, then +1 per line. */
  seq: number;
  /** ISO 8601 time of the append. */
  at: string;
  /** `submitted`, `approved`, `refused`, `delivered`, … */
  event: string;
  /** The approval (workflow) id. */
  id: string;
  /** Approver id, agent id or `system`. */
  who: string;
  why: string | null;
  /** Event details with PII fields redacted. */
  data: Record<string, unknown>;
  /** The previous line's hash; 64 zeros for the first. */
  prev: string;
  /** sha256 hex of `prev + canonicalJson(record without hash and sig)`. */
  hash: string;
  /** Entries of a blueprint with `signedEntries: true`: Ed25519 over `hash`, with the key's id. */
  sig?: AuditSignature;
}

export function hashRecord(record: Omit<AuditRecord, 'hash' | 'sig'>): string {
  return sha256Hex(record.prev + canonicalJson(record));
}
