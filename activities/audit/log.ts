/**
 * The append-only, hash-chained audit log: `<dataDir>/audit.jsonl`, one canonical-JSON record per
 * line (see {@link AuditRecord}). One writer per file: appends are serialized in-process by a
 * promise chain, and the chain's tail (last seq and hash) is read from the file on first use.
 * Do not point two processes at the same file; give each worker its own data directory or ship
 * the log to one writer.
 */
import { open, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { finalFailure, retryableFailure, FinalErrorCode, RetryableErrorCode } from '../errors.js';
import { redact } from '../redact.js';
import { canonicalJson, GENESIS_HASH, hashRecord, type AuditRecord } from './canonical.js';

export type { AuditRecord } from './canonical.js';

/** What a caller appends; the log adds seq, at, prev and hash. */
export interface AuditEntryInput {
  event: string;
  id: string;
  who: string;
  why?: string | null;
  data?: Record<string, unknown>;
  /** Keys whose values are replaced by `[redacted]` at any depth of `data`. */
  piiFields?: readonly string[];
}

export function auditFilePath(dataDir: string): string {
  return path.join(dataDir, 'audit.jsonl');
}

const TAIL_BYTES = 1 << 20;

/** Reads the last complete record of `file`; null for a missing or empty file. */
async function readTail(file: string): Promise<{ seq: number; hash: string } | null> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (size === 0) return null;
  const handle = await open(file, 'r');
  try {
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter((l) => l.trim() !== '');
    const last = lines.at(-1);
    if (last === undefined) return null;
    let record: Partial<AuditRecord>;
    try {
      record = JSON.parse(last) as Partial<AuditRecord>;
    } catch {
      throw finalFailure(FinalErrorCode.AuditLogCorrupt, `${file}: the last line is not valid JSON; run \`countersign audit verify ${file}\` and repair or rotate the file`);
    }
    if (typeof record.seq !== 'number' || typeof record.hash !== 'string' || !/^[0-9a-f]{64}$/.test(record.hash)) {
      throw finalFailure(FinalErrorCode.AuditLogCorrupt, `${file}: the last line has no seq or hash; run \`countersign audit verify ${file}\``);
    }
    return { seq: record.seq, hash: record.hash };
  } finally {
    await handle.close();
  }
}

export class AuditLog {
  readonly file: string;
  private tail: Promise<{ seq: number; hash: string }> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(file: string, options: { now?: () => Date } = {}) {
    this.file = file;
    this.now = options.now ?? (() => new Date());
  }

  /** The log at `<dataDir>/audit.jsonl`. */
  static inDataDir(dataDir: string): AuditLog {
    return new AuditLog(auditFilePath(dataDir));
  }

  /** Appends one record (after the ones already queued) and returns it as written. */
  append(entry: AuditEntryInput): Promise<AuditRecord> {
    const run = this.chain.then(() => this.write(entry));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(entry: AuditEntryInput): Promise<AuditRecord> {
    if (this.tail === null) {
      this.tail = (async () => {
        await mkdir(path.dirname(this.file), { recursive: true });
        return (await readTail(this.file)) ?? { seq: 0, hash: GENESIS_HASH };
      })();
      this.tail.catch(() => (this.tail = null));
    }
    const tail = await this.tail;
    const body: Omit<AuditRecord, 'hash'> = {
      seq: tail.seq + 1,
      at: this.now().toISOString(),
      event: entry.event,
      id: entry.id,
      who: entry.who,
      why: entry.why ?? null,
      data: redact(entry.data ?? {}, entry.piiFields ?? []),
      prev: tail.hash,
    };
    const record: AuditRecord = { ...body, hash: hashRecord(body) };
    const line = `${canonicalJson(record)}\n`;
    let handle;
    try {
      handle = await open(this.file, 'a');
      await handle.appendFile(line, 'utf8');
      await handle.datasync();
    } catch (err) {
      // The file may hold a partial line now; re-read the tail before the next append.
      this.tail = null;
      throw retryableFailure(RetryableErrorCode.AuditWriteFailed, `cannot append to ${this.file}: ${(err as Error).message}`);
    } finally {
      await handle?.close();
    }
    this.tail = Promise.resolve({ seq: record.seq, hash: record.hash });
    return record;
  }
}
