/** Zod issues of a test file turned into positioned PolicyErrors, worded like `policy lint` errors. */
import type { z } from 'zod';
import { closest, formatPath, keyNodeAt, nodeAt, PolicyError, PolicyErrorCode, positionOf, type PositionedYaml } from '../../triggers/index.js';
import { KNOWN_KEYS } from './test-file-schema.js';

/** Map keys are matched by string, as zod names them in issue paths. */
const STRING_KEYS = { stringKeys: true } as const;

function levelOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'file';
  if (path.length === 2) return 'case';
  return String(path[2]);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** One error per issue (unknown keys: one per key), sorted by position. */
export function issueErrors(file: string, p: PositionedYaml, data: unknown, issues: readonly z.core.$ZodIssue[]): PolicyError[] {
  const errors: PolicyError[] = [];
  const withUnknownKeys = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => formatPath(i.path)));
  for (const issue of issues) {
    const path = issue.path;
    const where = formatPath(path);
    // "expect must name at least one field" is noise next to the misspelt key that caused it.
    if (issue.code === 'custom' && withUnknownKeys.has(where)) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const near = closest(key, KNOWN_KEYS[levelOf(path)] ?? []);
        const pos = positionOf(p, keyNodeAt(p, path, key, STRING_KEYS));
        errors.push(
          new PolicyError(PolicyErrorCode.UnknownKey, `unknown key "${key}"${where ? ` in ${where}` : ''}`, {
            file,
            ...pos,
            path: where ? `${where}.${key}` : key,
            hint: near ? `did you mean ${near}?` : `known keys: ${(KNOWN_KEYS[levelOf(path)] ?? []).join(', ')}`,
          }),
        );
      }
      continue;
    }
    const missing = path.length > 0 && valueAt(data, path) === undefined;
    if (missing) {
      const parent = path.slice(0, -1);
      const pos = positionOf(p, nodeAt(p, parent, STRING_KEYS).node);
      errors.push(
        new PolicyError(PolicyErrorCode.MissingField, `missing ${String(path[path.length - 1])}${parent.length ? ` in ${formatPath(parent)}` : ''}`, {
          file,
          ...pos,
          path: where,
        }),
      );
      continue;
    }
    const pos = positionOf(p, nodeAt(p, path, STRING_KEYS).node);
    const message = issue.code === 'invalid_value'
      ? `${where} is ${JSON.stringify(valueAt(data, path))}; it must be one of ${issue.values.map(String).join(', ')}`
      : `${where || 'test file'}: ${issue.message}`;
    errors.push(
      new PolicyError(PolicyErrorCode.InvalidValue, message, {
        file,
        ...pos,
        path: where,
        ...(path[path.length - 1] === 'verdict' ? { hint: 'use auto_approve, require_approval or deny' } : {}),
      }),
    );
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return errors;
}
