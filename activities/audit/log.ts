/**
 * The append-only, hash-chained audit log: `<dataDir>/audit.jsonl`, one canonical-JSON record per
 * line (see {@link AuditRecord}). One writer per file: appends are serialized in-process by a
 * promise chain, and the chain's tail (last seq and hash) is read from the file on first use.
 * If the file then ends in a torn (partial) line, the partial line is moved aside to
 * `<file>.torn-<ISO time>` with a warning and the chain continues from the last complete entry.
 * Do not point two processes at the same file; give each worker its own data directory or ship
 * the log to one writer.
 */
import { open, mkdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { activityFailure, FinalErrorCode, RetryableErrorCode } from '../errors.js';
import { redact } from '../../core/redact.js';
import { canonicalJson, type AuditEntryInput } from '../../core/index.js';
import { GENESIS_HASH, hashRecord, type AuditRecord, type AuditSigner } from '../../core/crypto/index.js';

export type { AuditRecord } from '../../core/crypto/index.js';

export type { AuditEntryInput } from '../../core/index.js';

export function auditFilePath(dataDir: string): string {
  return path.join(dataDir, 'audit.jsonl');
}

const TAIL_BYTES = 1 << 20;
const CHUNK_BYTES = 1 << 16;
const NEWLINE = 0x0a;

interface Tail {
  seq: number;
  hash: string;
}

/** What {@link AuditLog} reports after moving a torn last line aside. */
export interface TornTailRecovery {
  /** The audit log. */
  file: string;
  /** Where the removed bytes went: `<file>.torn-<ISO time>` (a `.N` suffix if that name exists). */
  tornFile: string;
  /** How many bytes were removed from the end of `file`. */
  bytes: number;
  /** The size of `file` after the cut (just after its last newline). */
  keptBytes: number;
  /** The seq the chain continues from (0: the log is now empty). */
  lastSeq: number;
}

/** The part of a logger the AuditLog uses; a pino `Logger` fits. */
export interface AuditLogLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface AuditLogOptions {
  now?: () => Date;
  /** Where the torn-line warning goes; default `console.warn`. */
  logger?: AuditLogLogger;
  /** Called after a torn last line was moved aside (after the warning is logged). */
  onRecover?: (recovery: TornTailRecovery) => void;
  /** Signs entries that ask for it (`sign: true`); without one such an entry is refused (final). */
  signer?: AuditSigner | null;
}

/** The offset just after the last newline in `[0, end)` of the file, or 0 if there is none. */
async function endOfLastLine(handle: FileHandle, end: number): Promise<number> {
  const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, end));
  let to = end;
  while (to > 0) {
    const from = Math.max(0, to - buffer.length);
    const { bytesRead } = await handle.read(buffer, 0, to - from, from);
    const at = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (at !== -1) return from + at + 1;
    to = from;
  }
  return 0;
}

/** Parses the last complete record of the file's first `end` bytes (which end in a newline); null if there is none. */
async function lastRecord(file: string, handle: FileHandle, end: number): Promise<Tail | null> {
  if (end === 0) return null;
  const length = Math.min(end, TAIL_BYTES);
  const buffer = Buffer.alloc(length);
  await handle.read(buffer, 0, length, end - length);
  const lines = buffer.toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const last = lines.at(-1);
  if (last === undefined) return null;
  let record: Partial<AuditRecord>;
  try {
    record = JSON.parse(last) as Partial<AuditRecord>;
  } catch {
    throw activityFailure(FinalErrorCode.AuditLogCorrupt, `${file}: the last line is not valid JSON; run \`countersign audit verify ${file}\` and repair or rotate the file`);
  }
  if (typeof record.seq !== 'number' || typeof record.hash !== 'string' || !/^[0-9a-f]{64}$/.test(record.hash)) {
    throw activityFailure(FinalErrorCode.AuditLogCorrupt, `${file}: the last line has no seq or hash; run \`countersign audit verify ${file}\``);
  }
  return { seq: record.seq, hash: record.hash };
}

/** Creates `<file>.torn-<time>` (never an existing file: `.1`, `.2`, … on a clash) and opens it for appending. */
async function createTornFile(file: string, at: Date): Promise<{ tornFile: string; handle: FileHandle }> {
  const base = `${file}.torn-${at.toISOString()}`;
  for (let n = 0; ; n++) {
    const tornFile = n === 0 ? base : `${base}.${n}`;
    try {
      return { tornFile, handle: await open(tornFile, 'ax') };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw err;
    }
  }
}

/** Best effort: makes a new directory entry durable (not supported everywhere, e.g. Windows). */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // The data itself was synced; only the entry's durability is best effort.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Copies bytes `[from, size)` of `file` to a new `<file>.torn-<time>` and syncs it, then truncates
 * `file` to `from` and syncs it. In that order, a crash between the steps leaves the bytes in both
 * places (the next open moves them aside again), never in neither.
 */
async function moveTornTail(file: string, handle: FileHandle, from: number, size: number, at: Date): Promise<string> {
  const { tornFile, handle: out } = await createTornFile(file, at);
  try {
    const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, size - from));
    for (let pos = from; pos < size; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - pos), pos);
      if (bytesRead === 0) break;
      await out.write(buffer, 0, bytesRead);
      pos += bytesRead;
    }
    await out.datasync();
  } finally {
    await out.close();
  }
  await syncDir(path.dirname(file));
  const writable = await open(file, 'r+');
  try {
    await writable.truncate(from);
    await writable.datasync();
  } finally {
    await writable.close();
  }
  return tornFile;
}

/**
 * Reads the chain's tail (null for a missing or empty log). A file that does not end in a newline
 * ends in a torn write (a crash, power loss or full disk mid-append): once the last COMPLETE line
 * is known to be a record, the partial line is moved to `<file>.torn-<time>` and the file is cut
 * back to just after its last newline. A last complete line that is not a record is a final
 * `audit-log-corrupt` (tampering or real corruption), and the file is left untouched.
 */
async function openTail(file: string, at: () => Date, recovered: (r: TornTailRecovery) => void): Promise<Tail | null> {
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
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    const complete = last[0] === NEWLINE ? size : await endOfLastLine(handle, size - 1);
    const tail = await lastRecord(file, handle, complete);
    if (complete < size) {
      let tornFile: string;
      try {
        tornFile = await moveTornTail(file, handle, complete, size, at());
      } catch (err) {
        throw activityFailure(RetryableErrorCode.AuditWriteFailed, `${file} ends in a torn line and moving it aside failed: ${(err as Error).message}`);
      }
      recovered({ file, tornFile, bytes: size - complete, keptBytes: complete, lastSeq: tail?.seq ?? 0 });
    }
    return tail;
  } finally {
    await handle.close();
  }
}

export class AuditLog {
  readonly file: string;
  private tail: Promise<{ seq: number; hash: string }> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  private readonly logger: AuditLogLogger;
  private readonly onRecover: ((recovery: TornTailRecovery) => void) | undefined;
  private readonly signer: AuditSigner | null;

  constructor(file: string, options: AuditLogOptions = {}) {
    this.file = file;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? { warn: (obj, msg) => console.warn(`countersign: ${msg}`, obj) };
    this.onRecover = options.onRecover;
    this.signer = options.signer ?? null;
  }

  /** The log at `<dataDir>/audit.jsonl`. */
  static inDataDir(dataDir: string, options: AuditLogOptions = {}): AuditLog {
    return new AuditLog(auditFilePath(dataDir), options);
  }

  /** Appends one record (after the ones already queued) and returns it as written. */
  append(entry: AuditEntryInput): Promise<AuditRecord> {
    const run = this.chain.then(() => this.write(entry));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private recovered(r: TornTailRecovery): void {
    this.logger.warn(
      { file: r.file, tornFile: r.tornFile, bytes: r.bytes, keptBytes: r.keptBytes, lastSeq: r.lastSeq },
      `audit log ${r.file} ended in a torn (incomplete) line: moved ${r.bytes} bytes to ${r.tornFile} and continuing the chain after seq ${r.lastSeq}`,
    );
    try {
      this.onRecover?.(r);
    } catch (err) {
      this.logger.warn({ file: r.file, err: (err as Error).message }, `audit log onRecover callback failed: ${(err as Error).message}`);
    }
  }

  private async write(entry: AuditEntryInput): Promise<AuditRecord> {
    if (entry.sign && this.signer === null) {
      throw activityFailure(FinalErrorCode.AuditSigningKeyMissing, `audit entry ${entry.event} of ${entry.id} must be signed (auditLog.signedEntries) but this worker has no signing key: set COUNTERSIGN_AUDIT_SIGNING_KEY_FILE`);
    }
    if (this.tail === null) {
      this.tail = (async () => {
        await mkdir(path.dirname(this.file), { recursive: true });
        return (await openTail(this.file, this.now, (r) => this.recovered(r))) ?? { seq: 0, hash: GENESIS_HASH };
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
    const hash = hashRecord(body);
    const record: AuditRecord = entry.sign && this.signer ? { ...body, hash, sig: this.signer.sign(hash) } : { ...body, hash };
    const line = `${canonicalJson(record)}\n`;
    let handle;
    try {
      handle = await open(this.file, 'a');
      await handle.appendFile(line, 'utf8');
      await handle.datasync();
    } catch (err) {
      // The file may hold a partial line now; re-read the tail before the next append.
      this.tail = null;
      throw activityFailure(RetryableErrorCode.AuditWriteFailed, `cannot append to ${this.file}: ${(err as Error).message}`);
    } finally {
      await handle?.close();
    }
    this.tail = Promise.resolve({ seq: record.seq, hash: record.hash });
    return record;
  }
}
