/**
 * `countersign audit verify <file>`: checks the audit log's hash chain. Prints `ok <file>: N entries`
 * (exit 0) or `<file>:<line>: <reason>` for the first edited, removed, inserted or reordered entry
 * (exit 1). A missing or unreadable file exits 1; bad usage exits 2.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { verifyAuditLog } from '../../core/crypto/index.js';
import type { Command } from '../io.js';

export const AUDIT_USAGE = `usage: countersign audit verify <file>
  Verifies the hash chain of an audit log (e.g. .countersign/audit.jsonl).
  Exit 0 when intact; 1 with <file>:<line>: <reason> for the first tampered entry.`;

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
  if (rest.length !== 1 || rest[0]!.startsWith('-')) {
    io.stderr(`audit verify: name exactly one file\n${AUDIT_USAGE}`);
    return 2;
  }
  const file = rest[0]!;
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    io.stderr(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read: ${(err as Error).message}`);
    return 1;
  }
  const result = verifyAuditLog(text);
  if (result.ok) {
    io.stdout(`ok ${file}: ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'}`);
    return 0;
  }
  io.stderr(`${file}:${result.line}: ${result.reason}`);
  return 1;
};
