/**
 * The approver group names `policy lint` checks policies against: the keys of `groups:` in the
 * service config (`--config <file>`, else `$COUNTERSIGN_CONFIG`, else `./countersign.yaml`).
 * Only the names are read; the rest of the config is the service's business (infra/config).
 */
import { parse } from 'yaml';
import type { CliIO } from '../io.js';
import { readIfExists } from './files.js';

export type GroupsResult =
  | { readonly kind: 'groups'; readonly file: string; readonly groups: ReadonlySet<string> }
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
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    return { kind: 'error', message: `cannot parse config ${file}: ${(err as Error).message.split('\n')[0]}` };
  }
  const groups = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)['groups'] : undefined;
  if (groups === undefined || groups === null) {
    return { kind: 'skip', note: `note: config ${file} has no groups: section; approver groups are not checked` };
  }
  if (typeof groups !== 'object' || Array.isArray(groups)) {
    return { kind: 'error', message: `config ${file}: groups: must be a map of group name to approver ids` };
  }
  return { kind: 'groups', file, groups: new Set(Object.keys(groups)) };
}
