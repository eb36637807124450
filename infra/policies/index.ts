/**
 * The policy set the service decides with: every `*.yaml` / `*.yml` in the policy directory except
 * `*.test.yaml` / `*.test.yml`, compiled with `loadPolicy`, keyed by `blueprint`. Hot reload: the
 * directory is watched (debounced); a file that fails to load keeps its last good version and its
 * errors are logged one per line (`file:line:col: code: message`).
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPolicy, PolicyError, PolicyLoadError, type CompiledPolicy } from '../../triggers/index.js';
import type { Logger } from '../logger.js';

export interface PolicyFileError {
  file: string;
  /** One line per problem, `file:line:col: code: message`. */
  errors: string[];
}

export interface PolicyStoreOptions {
  dir: string;
  /** Approver group names from the service config; a policy naming another group fails to load. */
  groups: ReadonlySet<string>;
  /** Channel names a rule may route to (the channel registry's). */
  channels: readonly string[];
  logger?: Logger;
  /** Debounce of change events (default 150 ms). */
  debounceMs?: number;
}

const POLICY_FILE = /\.ya?ml$/i;
const TEST_FILE = /\.test\.ya?ml$/i;

export function isPolicyFile(name: string): boolean {
  return POLICY_FILE.test(name) && !TEST_FILE.test(name);
}

interface FileState {
  /** Last good compiled policy of this file, if any. */
  good: CompiledPolicy | null;
  /** The YAML text `good` was compiled from (the playground opens it for editing). */
  text?: string;
  /** Current problems of this file (empty when its latest version loaded). */
  errors: string[];
}

export class PolicyStore {
  readonly dir: string;
  private readonly groups: ReadonlySet<string>;
  private readonly channels: readonly string[];
  private readonly logger: Logger | undefined;
  private readonly debounceMs: number;
  private files = new Map<string, FileState>();
  private byBlueprint = new Map<string, CompiledPolicy>();
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> = Promise.resolve();
  private listeners = new Set<() => void>();

  constructor(options: PolicyStoreOptions) {
    this.dir = path.resolve(options.dir);
    this.groups = options.groups;
    this.channels = options.channels;
    this.logger = options.logger;
    this.debounceMs = options.debounceMs ?? 150;
  }

  /** Loads the directory once. Safe to call again (this is what a change event does). */
  load(): Promise<void> {
    this.reloading = this.reloading.then(() => this.reload()).catch((error: unknown) => {
      this.logger?.error({ err: error, dir: this.dir }, 'policy reload failed');
    });
    return this.reloading;
  }

  /** Loads, then watches the directory until {@link close}. */
  async start(): Promise<void> {
    await this.load();
    this.watch();
  }

  watch(): void {
    if (this.watcher) return;
    this.watcher = watch(this.dir, { persistent: false }, (_event, name) => {
      if (name && !isPolicyFile(String(name))) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.load();
      }, this.debounceMs);
    });
    this.watcher.on('error', (error) => this.logger?.error({ err: error, dir: this.dir }, 'policy directory watch failed'));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
  }

  /** Called after every reload (tests wait on it). Returns an unsubscribe function. */
  onReload(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Compiles `text` with this store's groups and channels without loading it (the playground's
   * lint): the same checks a file in the policy directory gets.
   * @throws {PolicyLoadError} listing every problem, positioned in `file`.
   */
  compile(text: string, file: string): CompiledPolicy {
    return loadPolicy(text, { file, groups: this.groups, channels: this.channels });
  }

  get(blueprint: string): CompiledPolicy | undefined {
    return this.byBlueprint.get(blueprint);
  }

  /** The YAML text of the loaded `blueprint` (its last good version). */
  text(blueprint: string): string | undefined {
    const policy = this.byBlueprint.get(blueprint);
    return policy ? this.files.get(policy.file)?.text : undefined;
  }

  /** Loaded policies, sorted by blueprint. */
  list(): CompiledPolicy[] {
    return [...this.byBlueprint.values()].sort((a, b) => a.blueprint.localeCompare(b.blueprint));
  }

  /** Files whose latest version failed to load (their last good version, if any, is still in use). */
  errors(): PolicyFileError[] {
    return [...this.files.entries()]
      .filter(([, s]) => s.errors.length > 0)
      .map(([file, s]) => ({ file, errors: [...s.errors] }))
      .sort((a, b) => a.file.localeCompare(b.file));
  }

  private async reload(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter(isPolicyFile).sort();
    } catch (error) {
      this.logger?.error({ err: error, dir: this.dir }, 'cannot read the policy directory; keeping the loaded policies');
      return;
    }
    const next = new Map<string, FileState>();
    for (const name of names) {
      const file = path.join(this.dir, name);
      const previous = this.files.get(file);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        // Vanished between readdir and read (editor swap): treat as removed unless it comes back.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        next.set(file, { good: previous?.good ?? null, ...(previous?.text !== undefined ? { text: previous.text } : {}), errors: [`${file}:0:0: io: ${(error as Error).message}`] });
        continue;
      }
      if (previous?.good && previous.errors.length === 0 && previous.good.hash === sha(text)) {
        next.set(file, previous);
        continue;
      }
      try {
        const policy = loadPolicy(text, { file, groups: this.groups, channels: this.channels });
        next.set(file, { good: policy, text, errors: [] });
      } catch (error) {
        const lines =
          error instanceof PolicyLoadError
            ? error.errors.map((e) => e.format())
            : error instanceof PolicyError
              ? [error.format()]
              : [`${file}:0:0: io: ${(error as Error).message}`];
        next.set(file, { good: previous?.good ?? null, ...(previous?.text !== undefined ? { text: previous.text } : {}), errors: lines });
      }
    }

    // Map by blueprint; a blueprint defined by two files is an error on the later file (by name),
    // which then keeps its own previous version only if that does not clash either.
    const byBlueprint = new Map<string, CompiledPolicy>();
    const owner = new Map<string, string>();
    for (const [file, state] of next) {
      const policy = state.good;
      if (!policy) continue;
      const other = owner.get(policy.blueprint);
      if (other !== undefined) {
        state.errors = [
          ...state.errors,
          `${file}:1:1: duplicate-blueprint: blueprint "${policy.blueprint}" is already defined in ${other}; rename one of them`,
        ];
        state.good = null;
        continue;
      }
      owner.set(policy.blueprint, file);
      byBlueprint.set(policy.blueprint, policy);
    }

    // Log what changed.
    for (const [file, state] of next) {
      const before = this.files.get(file);
      const sameErrors = before && before.errors.join('\n') === state.errors.join('\n');
      if (state.errors.length > 0 && !sameErrors) {
        for (const line of state.errors) this.logger?.error({ policyFile: file }, line);
        this.logger?.warn(
          { policyFile: file },
          state.good ? `policy ${file} not reloaded: keeping its last good version (${state.good.blueprint})` : `policy ${file} not loaded`,
        );
      } else if (state.errors.length === 0 && state.good && before?.good?.hash !== state.good.hash) {
        this.logger?.info({ policyFile: file, blueprint: state.good.blueprint, hash: state.good.hash }, `policy ${state.good.blueprint} loaded`);
      }
    }
    for (const file of this.files.keys()) {
      if (!next.has(file)) this.logger?.info({ policyFile: file }, `policy file ${file} removed`);
    }

    this.files = next;
    this.byBlueprint = byBlueprint;
    for (const fn of this.listeners) fn();
  }
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
