/**
 * A bounded, persisted set of webhook event ids already acted on. PagerDuty signs no timestamp, so
 * a captured webhook could be replayed at any time: each event id is acted on once. The newest
 * `max` ids are kept in memory and appended to `<dataDir>/<name>.seen` (one id per line, compacted
 * on load), so a restart does not reopen the door.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class SeenSet {
  private readonly ids = new Set<string>();
  private readonly file: string | null;

  /** `dir` null = memory only. */
  constructor(dir: string | null, name: string, private readonly max = 10_000) {
    this.file = dir ? path.join(dir, `${name}.seen`) : null;
    if (!this.file) return;
    mkdirSync(dir!, { recursive: true });
    let lines: string[] = [];
    try {
      lines = readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    } catch {
      // first start
    }
    for (const id of lines.slice(-max)) this.ids.add(id);
    writeFileSync(this.file, [...this.ids].map((id) => `${id}\n`).join(''));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records `id`; the oldest id is forgotten beyond `max`. */
  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    if (this.file) appendFileSync(this.file, `${id.replace(/\n/g, ' ')}\n`);
  }
}
