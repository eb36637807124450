/** `countersign.yaml` text → a validated {@link ServiceConfigFile}, every problem positioned. */
import type { z } from 'zod';
import { nodeAt, parsePositioned, type PositionedYaml } from '../../triggers/index.js';
import { crossCheck } from './cross-check.js';
import { interpolateDocument } from './interpolate.js';
import type { ConfigProblem } from './problems.js';
import { serviceConfigFileSchema, type ServiceConfigFile } from './schema.js';
import { dotted, locate } from './where.js';

/** Parses, interpolates, validates and cross-checks `countersign.yaml` text. Appends to `problems`. */
export function parseConfigFile(
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
  identityKeys: readonly string[],
): ServiceConfigFile | undefined {
  const p = parsePositioned(text);
  if (p.problems.length > 0) {
    for (const { line, column, error } of p.problems) {
      problems.push({ where: `${file}:${line}:${column}`, message: `YAML syntax: ${error.message.split('\n')[0]}` });
    }
    return undefined;
  }

  // Interpolate scalar string values (never keys), remembering where each came from.
  interpolateDocument(p, file, env, problems);

  const raw: unknown = p.doc.toJS() ?? {};
  const parsed = serviceConfigFileSchema(identityKeys).safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) pushIssue(issue, p, file, problems, raw);
    return undefined;
  }
  const cfg = parsed.data;
  crossCheck(cfg, p, file, problems);
  return problems.length > 0 ? undefined : cfg;
}

/** What to do about a missing field; the bindings that are new in a config say whose and how. */
function missingMessage(path: readonly PropertyKey[], raw: unknown): string {
  const [list, index, field] = path;
  const entry = (raw as Record<string, { id?: unknown }[] | undefined>)[String(list)]?.[Number(index)];
  const who = typeof entry?.id === 'string' ? entry.id : `#${Number(index) + 1}`;
  if (list === 'agents' && field === 'blueprints' && path.length === 3) {
    return `agent ${who} is bound to no blueprint: add blueprints: [<the blueprints it may submit to>] (["*"] allows every one); agents start with nothing`;
  }
  if (list === 'approvers' && field === 'tenants' && path.length === 3) {
    return `approver ${who} belongs to no tenant: add tenants: [<the tenants whose requests they decide>] (["*"] for every one)`;
  }
  return 'missing required field: add it';
}

function pushIssue(issue: z.core.$ZodIssue, p: PositionedYaml, file: string, problems: ConfigProblem[], raw: unknown): void {
  const path: PropertyKey[] = [...issue.path];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      const at = nodeAt(p, [...path, key]);
      problems.push({
        where: locate(p, file, (at.key ?? at.node)?.range?.[0]),
        path: dotted([...path, key]),
        message: `unknown key "${key}": remove it or check its spelling`,
      });
    }
    return;
  }
  const at = nodeAt(p, path);
  if (!at.exact && issue.code === 'invalid_type') message = missingMessage(path, raw);
  // Never echo a secret's value in a message.
  if (/apiKey|token|callbackSecret/.test(String(path[path.length - 1]))) message = message.replace(/"[^"]*"/g, '"…"');
  problems.push({ where: locate(p, file, at.node?.range?.[0]), path: dotted(path), message });
}
