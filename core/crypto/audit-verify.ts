/**
 * Verifies an audit log's hash chain and reports the FIRST line that was edited, removed,
 * inserted or reordered, or a torn last line (the file does not end in a newline: a write was
 * cut short). Pure: takes the file's text.
 */
import { canonicalJson } from '../canonical-json.js';
import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, sha256Hex, type AuditRecord } from './audit-record.js';
import { AUDIT_SIGNATURE_ALGORITHM, verifyAuditSignature } from './audit-signing.js';

export type VerifyResult =
  | {
      ok: true;
      entries: number;
      /** Present when some entries are signed: how many, the key ids they name, and whether they were checked (a public key was given). */
      signatures?: { signed: number; keys: string[]; checked: boolean };
    }
  | { ok: false; /** 1-based line number. */ line: number; reason: string };

export interface VerifyOptions {
  /** Public keys by key id (`auditPublicKeys`); given, every signature must verify with one of them. */
  publicKeys?: ReadonlyMap<string, KeyObject>;
}

const HEX64 = /^[0-9a-f]{64}$/;

function shapeProblem(r: Record<string, unknown>): string | null {
  if (!Number.isSafeInteger(r.seq)) return 'seq is missing or not an integer';
  for (const k of ['at', 'event', 'id', 'who', 'prev', 'hash'] as const) {
    if (typeof r[k] !== 'string') return `${k} is missing or not a string`;
  }
  if (r.why !== null && typeof r.why !== 'string') return 'why must be a string or null';
  if (typeof r.data !== 'object' || r.data === null || Array.isArray(r.data)) return 'data must be an object';
  if (!HEX64.test(r.prev as string)) return 'prev is not a sha256 hex digest';
  if (!HEX64.test(r.hash as string)) return 'hash is not a sha256 hex digest';
  return null;
}

export function verifyAuditLog(text: string, options: VerifyOptions = {}): VerifyResult {
  const keys = options.publicKeys ?? null;
  let signed = 0;
  const kids = new Set<string>();
  const lines = text.split('\n');
  // A log ends in a newline; text after the last one is a torn (incomplete) write.
  const torn = lines.at(-1) !== '';
  if (!torn) lines.pop();
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    if (torn && i === lines.length - 1) {
      return {
        ok: false,
        line,
        reason: 'torn last line (incomplete write): no trailing newline; the worker moves it to <file>.torn-<time> on its next append and continues the chain from the line before',
      };
    }
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') return { ok: false, line, reason: 'empty line inside the log' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { ok: false, line, reason: 'not valid JSON' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, line, reason: 'not a JSON object' };
    const record = parsed as Record<string, unknown>;
    const problem = shapeProblem(record);
    if (problem) return { ok: false, line, reason: problem };
    const r = record as unknown as AuditRecord;
    if (r.seq !== expectedSeq) {
      const what = r.seq > expectedSeq ? 'an entry before it was removed or entries were reordered' : 'an entry was inserted, duplicated or reordered';
      return { ok: false, line, reason: `seq ${r.seq} where ${expectedSeq} was expected: ${what}` };
    }
    if (r.prev !== prev) {
      return { ok: false, line, reason: 'prev does not match the hash of the entry before it: an entry was removed, inserted or reordered' };
    }
    const { hash, sig, ...body } = r;
    if (sha256Hex(r.prev + canonicalJson(body)) !== hash) {
      return { ok: false, line, reason: 'hash does not match the entry: the entry was edited' };
    }
    if (sig !== undefined) {
      if (typeof sig !== 'object' || sig === null || sig.alg !== AUDIT_SIGNATURE_ALGORITHM || typeof sig.kid !== 'string' || typeof sig.value !== 'string') {
        return { ok: false, line, reason: `sig must be {alg: "${AUDIT_SIGNATURE_ALGORITHM}", kid, value}` };
      }
      signed++;
      kids.add(sig.kid);
      if (keys !== null) {
        const key = keys.get(sig.kid);
        if (!key) return { ok: false, line, reason: `signed with key ${sig.kid}, which none of the given public keys is` };
        if (!verifyAuditSignature(key, hash, sig)) return { ok: false, line, reason: `signature does not verify with key ${sig.kid}: the entry or its signature was changed` };
      }
    }
    prev = hash;
    expectedSeq++;
  }
  return signed === 0 ? { ok: true, entries: lines.length } : { ok: true, entries: lines.length, signatures: { signed, keys: [...kids], checked: keys !== null } };
}
