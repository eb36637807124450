/**
 * Where each approver group's cards go in Teams: a conversation reference per group, recorded when
 * someone in that group sends `link <group>` to the bot, persisted as JSON at
 * `<dataDir>/teams-conversations.json` (written atomically; read on every lookup so the API
 * process that links and the worker process that posts agree).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConversationReference } from 'botbuilder';

interface File {
  version: 1;
  groups: Record<string, Partial<ConversationReference>>;
}

/** Group → conversation reference, on disk. */
export class ConversationStore {
  readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'teams-conversations.json');
  }

  private async read(): Promise<File> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as File;
      return parsed && typeof parsed.groups === 'object' ? parsed : { version: 1, groups: {} };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, groups: {} };
      throw err;
    }
  }

  async get(group: string): Promise<Partial<ConversationReference> | null> {
    return (await this.read()).groups[group] ?? null;
  }

  /** The first of `groups` (then `fallback`) that has a linked conversation. */
  async find(groups: readonly string[], fallback: string | null): Promise<{ group: string; reference: Partial<ConversationReference> } | null> {
    const all = (await this.read()).groups;
    for (const group of [...groups, ...(fallback ? [fallback] : [])]) {
      const reference = all[group];
      if (reference) return { group, reference };
    }
    return null;
  }

  /** Records `reference` for `group` (replacing an earlier link). */
  set(group: string, reference: Partial<ConversationReference>): Promise<void> {
    this.writing = this.writing.then(async () => {
      const data = await this.read();
      data.groups[group] = reference;
      await mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(data, null, 2), { mode: 0o600 });
      await rename(tmp, this.file);
    });
    return this.writing;
  }
}
