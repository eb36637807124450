/**
 * A torn last line (a crash, power loss or full disk mid-append) is moved aside to
 * `<file>.torn-<ISO time>` on the AuditLog's first append and the chain continues from the last
 * complete entry; a corrupt COMPLETE last line stays a final `audit-log-corrupt`.
 */
import { appendFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GENESIS_HASH, verifyAuditLog } from '../../core/crypto/index.js';
import { AuditLog, auditFilePath, type AuditLogLogger, type TornTailRecovery } from '../../activities/audit/log.js';
import { audit as auditCommand } from '../../cli/commands/audit.js';
import type { CliIO } from '../../cli/io.js';

const NOW = '2025-01-02T03:04:05.678Z';
const now = () => new Date(NOW);

/** A data dir whose audit.jsonl holds `n` valid entries; returns the file and its exact bytes. */
async function validLog(n: number): Promise<{ dir: string; file: string; text: string; hashes: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'countersign-torn-'));
  const file = auditFilePath(dir);
  const log = new AuditLog(file, { now });
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) hashes.push((await log.append({ event: 'refused', id: 'req-1', who: `user${i}`, data: { i } })).hash);
  const text = n === 0 ? '' : await readFile(file, 'utf8');
  if (n === 0) await writeFile(file, '');
  return { dir, file, text, hashes };
}

function recordingLogger(): AuditLogLogger & { calls: Array<[Record<string, unknown>, string]> } {
  const calls: Array<[Record<string, unknown>, string]> = [];
  return { calls, warn: (obj, msg) => void calls.push([obj, msg]) };
}

const tornFiles = async (dir: string) => (await readdir(dir)).filter((f) => f.startsWith('audit.jsonl.torn-')).sort();

function capture(cwd: string): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, cwd };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Bytes of "é" are c3 a9: a write cut between them leaves an invalid UTF-8 tail. */
const halfUtf8 = Buffer.concat([Buffer.from('{"seq":3,"who":"'), Buffer.from('é').subarray(0, 1)]);

describe('AuditLog: a torn last line is moved aside', () => {
  it.each([
    { name: 'partial record after 2 entries', entries: 2, torn: Buffer.from('{"seq":3,"at":"2025-01-02T0') },
    { name: 'complete record missing only its newline', entries: 2, torn: 'COMPLETE_THIRD' as const },
    { name: 'half a UTF-8 character', entries: 2, torn: halfUtf8 },
    { name: 'torn line longer than one read chunk', entries: 1, torn: Buffer.from(`{"seq":2,"data":"${'x'.repeat(200_000)}`) },
    { name: 'a file that is only a partial line', entries: 0, torn: Buffer.from('{"seq":1,"at":"20') },
    { name: 'a file that is only a carriage return', entries: 0, torn: Buffer.from('\r') },
  ])('$name', async ({ entries, torn }) => {
    const { dir, file, text, hashes } = await validLog(entries);
    let tornBytes: Buffer;
    if (torn === 'COMPLETE_THIRD') {
      // Write a real third record, then cut its newline: the append never completed.
      await new AuditLog(file, { now }).append({ event: 'approved', id: 'req-1', who: 'alice' });
      const full = await readFile(file);
      tornBytes = full.subarray(Buffer.byteLength(text), full.length - 1);
      await writeFile(file, full.subarray(0, full.length - 1));
    } else {
      tornBytes = torn;
      await appendFile(file, torn);
    }
    const keptBytes = Buffer.byteLength(text);

    const logger = recordingLogger();
    const recoveries: TornTailRecovery[] = [];
    const log = new AuditLog(file, { now, logger, onRecover: (r) => void recoveries.push(r) });
    const next = await log.append({ event: 'approved', id: 'req-1', who: 'bob' });
    const after = await log.append({ event: 'delivered', id: 'req-1', who: 'system' });

    expect(next.seq).toBe(entries + 1);
    expect(next.prev).toBe(entries === 0 ? GENESIS_HASH : hashes[entries - 1]);
    expect(after.seq).toBe(entries + 2);
    const content = await readFile(file, 'utf8');
    expect(content.startsWith(text)).toBe(true);
    expect(verifyAuditLog(content)).toEqual({ ok: true, entries: entries + 2 });

    const tornFile = `${file}.torn-${NOW}`;
    expect(await tornFiles(dir)).toEqual([`audit.jsonl.torn-${NOW}`]);
    expect((await readFile(tornFile)).equals(tornBytes)).toBe(true);

    const recovery = { file, tornFile, bytes: tornBytes.length, keptBytes, lastSeq: entries };
    expect(recoveries).toEqual([recovery]);
    expect(logger.calls).toEqual([
      [
        recovery,
        `audit log ${file} ended in a torn (incomplete) line: moved ${tornBytes.length} bytes to ${tornFile} and continuing the chain after seq ${entries}`,
      ],
    ]);
  });

  it('never overwrites an existing .torn file: the next name gets a .1 suffix', async () => {
    const { dir, file } = await validLog(1);
    await writeFile(`${file}.torn-${NOW}`, 'earlier bytes');
    await appendFile(file, '{"seq":2');
    const logger = recordingLogger();
    expect((await new AuditLog(file, { now, logger }).append({ event: 'x', id: 'r', who: 'w' })).seq).toBe(2);
    expect(await tornFiles(dir)).toEqual([`audit.jsonl.torn-${NOW}`, `audit.jsonl.torn-${NOW}.1`]);
    expect(await readFile(`${file}.torn-${NOW}`, 'utf8')).toBe('earlier bytes');
    expect(await readFile(`${file}.torn-${NOW}.1`, 'utf8')).toBe('{"seq":2');
    expect(logger.calls.map(([obj]) => obj.tornFile)).toEqual([`${file}.torn-${NOW}.1`]);
  });

  it.each([
    { name: 'an empty file', content: '' },
    { name: 'a missing file', content: null },
  ])('$name starts the chain at seq 1 with no warning and no .torn file', async ({ content }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'countersign-torn-'));
    const file = auditFilePath(dir);
    if (content !== null) await writeFile(file, content);
    const logger = recordingLogger();
    const record = await new AuditLog(file, { now, logger }).append({ event: 'submitted', id: 'r', who: 'agent' });
    expect(record).toMatchObject({ seq: 1, prev: GENESIS_HASH });
    expect(verifyAuditLog(await readFile(file, 'utf8'))).toEqual({ ok: true, entries: 1 });
    expect(await tornFiles(dir)).toEqual([]);
    expect(logger.calls).toEqual([]);
  });

  it('an intact log is not touched: no warning, no .torn file', async () => {
    const { dir, file } = await validLog(2);
    const logger = recordingLogger();
    expect((await new AuditLog(file, { now, logger }).append({ event: 'x', id: 'r', who: 'w' })).seq).toBe(3);
    expect(await tornFiles(dir)).toEqual([]);
    expect(logger.calls).toEqual([]);
  });

  it('without a logger the warning goes to console.warn', async () => {
    const { file } = await validLog(1);
    await appendFile(file, '{"se');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await new AuditLog(file, { now }).append({ event: 'x', id: 'r', who: 'w' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe(
      `countersign: audit log ${file} ended in a torn (incomplete) line: moved 4 bytes to ${file}.torn-${NOW} and continuing the chain after seq 1`,
    );
  });

  it('a pino Logger fits the logger option', () => {
    const logger: AuditLogLogger = pino({ enabled: false });
    expect(typeof logger.warn).toBe('function');
  });
});

describe('AuditLog: a corrupt COMPLETE last line stays final and the file is left alone', () => {
  it.each([
    { name: 'not JSON, no torn tail', tail: '{"seq":3,"trunc\n', message: /the last line is not valid JSON/ },
    { name: 'not JSON, then a torn tail', tail: '{not json}\n{"seq":4', message: /the last line is not valid JSON/ },
    { name: 'JSON without a hash, then a torn tail', tail: '{"seq":3}\n{"seq":4,"at', message: /the last line has no seq or hash/ },
    { name: 'JSON with a short hash', tail: '{"seq":3,"hash":"abc"}\n', message: /the last line has no seq or hash/ },
  ])('$name', async ({ tail, message }) => {
    const { dir, file, text } = await validLog(2);
    await appendFile(file, tail);
    const logger = recordingLogger();
    const log = new AuditLog(file, { now, logger });
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(log.append({ event: 'x', id: 'r', who: 'w' })).rejects.toMatchObject({
        type: 'audit-log-corrupt',
        nonRetryable: true,
        message: expect.stringMatching(message),
      });
    }
    expect(await readFile(file, 'utf8')).toBe(text + tail);
    expect(await tornFiles(dir)).toEqual([]);
    expect(logger.calls).toEqual([]);
  });
});

describe('verifyAuditLog and `audit verify` on a torn last line', () => {
  const reason =
    'torn last line (incomplete write): no trailing newline; the worker moves it to <file>.torn-<time> on its next append and continues the chain from the line before';

  it.each([
    { name: 'partial record after 2 entries', entries: 2, tail: '{"seq":3,"at', expected: { ok: false, line: 3, reason } },
    { name: 'only a partial line', entries: 0, tail: '{"seq":1', expected: { ok: false, line: 1, reason } },
    { name: 'a valid record missing its newline', entries: 3, tail: 'STRIP_NEWLINE', expected: { ok: false, line: 3, reason } },
    { name: 'intact', entries: 2, tail: '', expected: { ok: true, entries: 2 } },
  ] as const)('$name', async ({ entries, tail, expected }) => {
    const { text } = await validLog(entries);
    const content = tail === 'STRIP_NEWLINE' ? text.slice(0, -1) : text + tail;
    expect(verifyAuditLog(content)).toEqual(expected);
  });

  it('an earlier tampered line is still the one reported', async () => {
    const { text } = await validLog(3);
    const lines = text.trimEnd().split('\n');
    expect(verifyAuditLog(`${lines[0]}\n${lines[2]}\n{"seq":4`)).toEqual({
      ok: false,
      line: 2,
      reason: 'seq 3 where 2 was expected: an entry before it was removed or entries were reordered',
    });
  });

  it('the CLI prints <file>:<line>: torn last line … and exits 1; after the next append it is ok', async () => {
    const { dir, file } = await validLog(2);
    await appendFile(file, '{"seq":3,"at');
    let io = capture(dir);
    expect(await auditCommand(['verify', 'audit.jsonl'], io)).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err).toEqual([`audit.jsonl:3: ${reason}`]);

    await new AuditLog(file, { now, logger: recordingLogger() }).append({ event: 'x', id: 'r', who: 'w' });
    io = capture(dir);
    expect(await auditCommand(['verify', 'audit.jsonl'], io)).toBe(0);
    expect(io.out).toEqual(['ok audit.jsonl: 3 entries']);
    expect(await auditCommand(['verify', path.basename(`${file}.torn-${NOW}`)], capture(dir))).toBe(1);
  });
});
