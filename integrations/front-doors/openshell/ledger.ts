/**
 * The adapter's durable record of what it did at the gateway, one JSON line per verdict under
 * `<dataDir>/openshell/ledger.jsonl`. It makes execution at-most-once across retries and restarts
 * and records who approved (the gateway does not). Temporal stays the record of the approval itself.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Outcome =
  | 'approved'
  | 'rejected'
  /** Not executed: the chunk was decided at the gateway, superseded, or is gone. */
  | 'decided_elsewhere'
  /** Not executed: the proposal or its inputs changed after the approver saw it; a new approval is filed. */
  | 'changed'
  /** Not executed: the gateway cannot apply the proposal (its `application_error`). */
  | 'not_applicable'
  /** Not executed: the gateway refused for good (an active global policy, a merge conflict). */
  | 'refused';

export interface LedgerEntry {
  id: string;
  sandbox: string;
  chunkId: string;
  outcome: Outcome;
  /** Who decided in Countersign (`alice`, `alice, bob`, `system`). */
  decidedBy: string;
  reason: string;
  at: number;
}

export class Ledger {
  private readonly byId = new Map<string, LedgerEntry>();
  private readonly file: string;

  constructor(dataDir: string) {
    const dir = path.join(dataDir, 'openshell');
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'ledger.jsonl');
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      // first run
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as LedgerEntry;
        this.byId.set(e.id, e);
      } catch {
        // a torn last line after a crash: ignore it
      }
    }
  }

  get(id: string): LedgerEntry | undefined {
    return this.byId.get(id);
  }

  /** Appends synchronously: the entry is on disk before the callback is answered. */
  record(entry: LedgerEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    this.byId.set(entry.id, entry);
  }
}
