/**
 * `countersign audit verify <file> [--public-key <pem>]…`: checks the audit log's hash chain and
 * the Ed25519 signatures of signed entries. Prints `ok <file>: N entries, M signed (keys …)`
 * (exit 0) or `<file>:<line>: <reason>` for the first edited, removed, inserted or reordered entry,
 * forged signature or key none of the given public keys is (exit 1). Without `--public-key`, the
 * public key beside the log (`audit-signing-key.pub.pem`, made by the embedded default) is used
 * when it is there. A missing or unreadable file exits 1; bad usage exits 2.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { auditPublicKeys, verifyAuditLog } from '../../core/crypto/index.js';
import type { Command } from '../io.js';

export const AUDIT_USAGE = `usage: countersign audit verify <file> [--public-key <pem>]…
  Verifies the hash chain of an audit log (e.g. .countersign/audit.jsonl) and the signatures of
  signed entries with the given public keys (several, across a key rotation); without one, the
  audit-signing-key.pub.pem beside the log when it exists.
  Exit 0 when intact; 1 with <file>:<line>: <reason> for the first bad entry.`;

const PUBLIC_KEY_FILE = 'audit-signing-key.pub.pem';

export const audit: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    io.stdout(AUDIT_USAGE);
    return 0;
  }
  if (sub !== 'verify') {
    io.stderr(`unknown audit command: ${sub ?? '(none)'}\n${AUDIT_USAGE}`);
    return 2;
  }
  const files: string[] = [];
  const keyFiles: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--public-key') {
      const value = rest[++i];
      if (value === undefined) {
        io.stderr(`audit verify: --public-key needs a PEM file\n${AUDIT_USAGE}`);
        return 2;
      }
      keyFiles.push(value);
    } else if (arg.startsWith('-')) {
      io.stderr(`audit verify: unknown option ${arg}\n${AUDIT_USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (files.length !== 1) {
    io.stderr(`audit verify: name exactly one file\n${AUDIT_USAGE}`);
    return 2;
  }
  const file = files[0]!;
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    io.stderr(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read: ${(err as Error).message}`);
    return 1;
  }
  const beside = path.join(path.dirname(path.resolve(io.cwd, file)), PUBLIC_KEY_FILE);
  const pemFiles = keyFiles.length > 0 ? keyFiles.map((k) => path.resolve(io.cwd, k)) : existsSync(beside) ? [beside] : [];
  let publicKeys;
  try {
    publicKeys = pemFiles.length > 0 ? auditPublicKeys(await Promise.all(pemFiles.map((f) => readFile(f, 'utf8')))) : undefined;
  } catch (err) {
    io.stderr(`audit verify: a public key cannot be read: ${(err as Error).message}`);
    return 1;
  }
  const result = verifyAuditLog(text, publicKeys ? { publicKeys } : {});
  if (!result.ok) {
    io.stderr(`${file}:${result.line}: ${result.reason}`);
    return 1;
  }
  const entries = `${result.entries} ${result.entries === 1 ? 'entry' : 'entries'}`;
  const sig = result.signatures;
  const signed = !sig ? '' : sig.checked ? `, ${sig.signed} signed (keys ${sig.keys.join(', ')})` : `, ${sig.signed} signed, signatures NOT checked: pass --public-key`;
  io.stdout(`ok ${file}: ${entries}${signed}`);
  return !sig || sig.checked ? 0 : 1;
};
