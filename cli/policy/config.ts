/**
 * What `policy lint` checks policies against in the service config (`--config <file>`, else
 * `$COUNTERSIGN_CONFIG`, else `./countersign.yaml`): the keys of `groups:`, and which blueprints
 * each agent is bound to (`agents[].blueprints`), with where each binding is written. Only these
 * are read; the rest of the config is the service's business (infra/config).
 */
import { ANY } from '../../core/index.js';
import { nodeAt, parsePositioned, positionOf } from '../../triggers/index.js';
import type { CliIO } from '../io.js';
import { readIfExists } from './files.js';

/** One `agents[i].blueprints[j]` entry of the config, where it is written. */
export interface Binding {
  readonly agent: string;
  readonly blueprint: string;
  readonly line: number;
  readonly column: number;
}

export type GroupsResult =
  | { readonly kind: 'groups'; readonly file: string; readonly groups: ReadonlySet<string>; readonly bindings: readonly Binding[] }
  /** No usable config: the unknown-group check is skipped and `note` says why. */
  | { readonly kind: 'skip'; readonly note: string }
  | { readonly kind: 'error'; readonly message: string };

/** Which config file to read. */
export function configPath(io: CliIO, flag: string | undefined): string {
  return flag ?? io.env['COUNTERSIGN_CONFIG'] ?? 'countersign.yaml';
}

/** Reads the group names from the config file; never throws. */
export function loadGroups(io: CliIO, flag: string | undefined): GroupsResult {
  const file = configPath(io, flag);
  let text: string | undefined;
  try {
    text = readIfExists(io.cwd, file)?.text;
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
  if (text === undefined) {
    return { kind: 'skip', note: `note: config ${file} not found; approver groups are not checked (use --config <file>)` };
  }
  const positioned = parsePositioned(text);
  const syntax = positioned.problems[0];
  if (syntax) return { kind: 'error', message: `cannot parse config ${file}: ${syntax.line}:${syntax.column}: ${syntax.message}` };
  const data: unknown = positioned.doc.toJS();
  const groups = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)['groups'] : undefined;
  if (groups === undefined || groups === null) {
    return { kind: 'skip', note: `note: config ${file} has no groups: section; approver groups are not checked` };
  }
  if (typeof groups !== 'object' || Array.isArray(groups)) {
    return { kind: 'error', message: `config ${file}: groups: must be a map of group name to approver ids` };
  }
  return { kind: 'groups', file, groups: new Set(Object.keys(groups)), bindings: bindingsOf(positioned, data) };
}

function bindingsOf(positioned: ReturnType<typeof parsePositioned>, data: unknown): Binding[] {
  const agents = (data as Record<string, unknown>)['agents'];
  if (!Array.isArray(agents)) return [];
  const out: Binding[] = [];
  agents.forEach((entry: unknown, i) => {
    const { id, blueprints } = (entry ?? {}) as { id?: unknown; blueprints?: unknown };
    if (typeof id !== 'string' || !Array.isArray(blueprints)) return;
    blueprints.forEach((blueprint: unknown, j) => {
      if (typeof blueprint !== 'string') return;
      out.push({ agent: id, blueprint, ...positionOf(positioned, nodeAt(positioned, ['agents', i, 'blueprints', j]).node) });
    });
  });
  return out;
}

/**
 * Bindings to a blueprint none of `known` defines (errors), and bindings to every blueprint
 * (`"*"`, warnings: explicit, and worth a second look).
 */
export function checkBindings(bindings: readonly Binding[], known: ReadonlySet<string>): { unknown: Binding[]; wildcards: Binding[] } {
  return {
    unknown: bindings.filter((b) => b.blueprint !== ANY && !known.has(b.blueprint)),
    wildcards: bindings.filter((b) => b.blueprint === ANY),
  };
}
