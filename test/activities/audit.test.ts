/** The audit log: hash chain, serialized appends, tail reading, redaction, verifier, CLI. */
import { mkdtemp, readFile, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/index.js';
import { GENESIS_HASH, sha256Hex, verifyAuditLog } from '../../core/crypto/index.js';
import { AuditLog, auditFilePath } from '../../activities/audit/log.js';
import { redact } from '../../core/redact.js';
import { audit as auditCommand } from '../../cli/commands/audit.js';
import type { CliIO } from '../../cli/io.js';

const tmp = () => mkdtemp(path.join(tmpdir(), 'countersign-audit-'));

async function sampleLog(n = 5): Promise<{ file: string; lines: string[] }> {
  const dir = await tmp();
  const log = AuditLog.inDataDir(dir);
  for (let i = 0; i < n; i++) await log.append({ event: i === 0 ? 'submitted' : 'refused', id: 'req-1', who: `user${i}`, data: { i } });
  const file = auditFilePath(dir);
  return { file, lines: (await readFile(file, 'utf8')).trimEnd().split('\n') };
}

function capture(cwd: string): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, cwd };
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"z":1}]},"b":1}');
  });
});

describe('AuditLog', () => {
  it('chains records: first prev is 64 zeros, hash = sha256(prev + canonical without hash)', async () => {
    const { lines } = await sampleLog(3);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(records[0]!.prev).toBe(GENESIS_HASH);
    for (let i = 0; i < records.length; i++) {
      const { hash, ...body } = records[i]!;
      expect(hash).toBe(sha256Hex(String(body.prev) + canonicalJson(body)));
      if (i > 0) expect(body.prev).toBe(records[i - 1]!.hash);
      expect(Object.keys(records[i]!).sort()).toEqual(['at', 'data', 'event', 'hash', 'id', 'prev', 'seq', 'who', 'why']);
    }
  });

  it('serializes concurrent appends into one unbroken chain', async () => {
    const dir = await tmp();
    const log = AuditLog.inDataDir(dir);
    const written = await Promise.all(Array.from({ length: 50 }, (_, i) => log.append({ event: 'decided', id: `r${i}`, who: 'x' })));
    expect(written.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(verifyAuditLog(await readFile(auditFilePath(dir), 'utf8'))).toEqual({ ok: true, entries: 50 });
  });

  it('a new AuditLog on an existing file continues its chain', async () => {
    const { file } = await sampleLog(2);
    const next = await new AuditLog(file).append({ event: 'approved', id: 'req-1', who: 'alice' });
    expect(next.seq).toBe(3);
    expect(verifyAuditLog(await readFile(file, 'utf8'))).toEqual({ ok: true, entries: 3 });
  });

  it('refuses to continue a log whose last line is corrupt (final error)', async () => {
    const { file } = await sampleLog(2);
    // A COMPLETE line (newline-terminated) that is not JSON; a torn tail without a newline is moved aside (audit-torn.test.ts).
    await appendFile(file, '{"seq":3,"trunc\n');
    await expect(new AuditLog(file).append({ event: 'x', id: 'r', who: 'w' })).rejects.toMatchObject({ type: 'audit-log-corrupt', nonRetryable: true });
  });

  it('redacts PII fields at any depth of data', async () => {
    const dir = await tmp();
    const record = await AuditLog.inDataDir(dir).append({
      event: 'submitted',
      id: 'r',
      who: 'agent',
      data: { request: { params: { email: 'pat@example.com', amount: 5, nested: [{ SSN: '123' }] } }, email: 'x' },
      piiFields: ['email', 'ssn'],
    });
    expect(record.data).toEqual({ request: { params: { email: '[redacted]', amount: 5, nested: [{ SSN: '[redacted]' }] } }, email: '[redacted]' });
    const text = await readFile(auditFilePath(dir), 'utf8');
    expect(text).not.toContain('pat@example.com');
    expect(text).not.toContain('123');
  });

  it('redact leaves values alone without fields and copies otherwise', () => {
    const v = { a: { email: 'e' } };
    expect(redact(v, [])).toBe(v);
    expect(redact(v, ['email'])).toEqual({ a: { email: '[redacted]' } });
    expect(v.a.email).toBe('e');
  });
});

describe('verifyAuditLog', async () => {
  const { lines } = await sampleLog(5);
  const swap = (a: number, b: number) => {
    const copy = [...lines];
    [copy[a], copy[b]] = [copy[b]!, copy[a]!];
    return copy;
  };
  const edit = (i: number, fn: (r: Record<string, unknown>) => void) => {
    const copy = [...lines];
    const r = JSON.parse(copy[i]!) as Record<string, unknown>;
    fn(r);
    copy[i] = JSON.stringify(r);
    return copy;
  };
  const recomputed = (i: number) => {
    // An editor who recomputes the edited entry's hash is caught by the next entry's prev.
    return edit(i, (r) => {
      r.who = 'mallory';
      const { hash: _h, ...body } = r;
      r.hash = sha256Hex(String(body.prev) + canonicalJson(body));
    });
  };

  it.each([
    ['intact', lines, null],
    ['intact with CRLF', lines.map((l) => `${l}\r`), null],
    ['edited data', edit(2, (r) => (r.data = { i: 99 })), { line: 3, reason: /edited/ }],
    ['edited who, hash recomputed', recomputed(1), { line: 3, reason: /prev does not match/ }],
    ['first line removed', lines.slice(1), { line: 1, reason: /seq 2 where 1 was expected/ }],
    ['middle line removed', lines.filter((_, i) => i !== 2), { line: 3, reason: /seq 4 where 3 was expected/ }],
    ['lines swapped', swap(1, 3), { line: 2, reason: /seq 4 where 2 was expected/ }],
    ['line duplicated', [...lines.slice(0, 3), lines[2]!, ...lines.slice(3)], { line: 4, reason: /seq 3 where 4 was expected: an entry was inserted/ }],
    ['line inserted with a forged seq', [...lines.slice(0, 2), edit(1, (r) => (r.seq = 3))[1]!, ...lines.slice(2)], { line: 3, reason: /prev does not match/ }],
    ['bad JSON', [lines[0]!, '{not json', ...lines.slice(1)], { line: 2, reason: /not valid JSON/ }],
    ['empty line inside', [lines[0]!, '', ...lines.slice(1)], { line: 2, reason: /empty line/ }],
    ['missing hash', edit(0, (r) => delete r.hash), { line: 1, reason: /hash is missing/ }],
    ['array line', ['[1,2]'], { line: 1, reason: /not a JSON object/ }],
  ] as const)('%s', (_name, text, expected) => {
    const result = verifyAuditLog(`${text.join('\n')}\n`);
    if (expected === null) expect(result).toEqual({ ok: true, entries: lines.length });
    else expect(result).toMatchObject({ ok: false, line: expected.line, reason: expect.stringMatching(expected.reason) });
  });

  it('an empty file is an intact empty log', () => {
    expect(verifyAuditLog('')).toEqual({ ok: true, entries: 0 });
  });
});

describe('countersign audit verify', () => {
  it('ok, tampered, missing file and usage', async () => {
    const { file, lines } = await sampleLog(4);
    const dir = path.dirname(file);
    let io = capture(dir);
    expect(await auditCommand(['verify', file], io)).toBe(0);
    expect(io.out).toEqual([`ok ${file}: 4 entries`]);

    await writeFile(path.join(dir, 'bad.jsonl'), `${lines.filter((_, i) => i !== 1).join('\n')}\n`);
    io = capture(dir);
    expect(await auditCommand(['verify', 'bad.jsonl'], io)).toBe(1);
    expect(io.err).toEqual(['bad.jsonl:2: seq 3 where 2 was expected: an entry before it was removed or entries were reordered']);

    io = capture(dir);
    expect(await auditCommand(['verify', 'nope.jsonl'], io)).toBe(1);
    expect(io.err).toEqual(['nope.jsonl: no such file']);

    io = capture(dir);
    expect(await auditCommand(['verify'], io)).toBe(2);
    expect(await auditCommand(['check', 'x'], io)).toBe(2);
    expect(await auditCommand(['verify', '--help'], capture(dir))).toBe(0);
  });
});
