import { z } from 'zod';
import { PolicyError, PolicyErrorCode } from '../errors.js';
import { closest } from '../did-you-mean.js';
import { formatPath, positionAt, type YamlPath, type YamlSource } from './yaml-source.js';

/**
 * Turns zod issues into positioned `PolicyError`s a security lead can act on: the node's line
 * and column, what is wrong in plain words, and a hint (often "did you mean …?").
 */
export function issuesToErrors(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], source: YamlSource, data: unknown, policy?: string): PolicyError[] {
  const errors: PolicyError[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const make = (code: PolicyErrorCode, message: string, hint: string, at: YamlPath, target: 'key' | 'value' = 'value') =>
      new PolicyError(code, message, { file: source.file, ...positionAt(source, at, target), path: formatPath(at), policy, hint });

    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(shapeAt(schema, path) ?? {});
      for (const key of issue.keys) {
        const guess = closest(key, known);
        const where = path.length ? `\`${formatPath(path)}\`` : 'the top level';
        errors.push(make(PolicyErrorCode.UnknownKey, `unknown key \`${key}\` in ${where}`,
          guess ? `did you mean \`${guess}\`?` : `known keys here: ${known.join(', ')}`, [...path, key], 'key'));
      }
      continue;
    }
    const value = valueAt(data, path);
    const last = path[path.length - 1];
    const parent = path.slice(0, -1);
    const permissionKeys = Object.keys(shapeAt(schema, ['security', 'permissions']) ?? {});
    if (issue.code === 'invalid_type' && typeof last === 'string' && formatPath(parent) === 'security.permissions' && !permissionKeys.includes(last)) {
      const guess = closest(last, permissionKeys);
      errors.push(guess
        ? make(PolicyErrorCode.UnknownKey, `unknown key \`${last}\` in \`security.permissions\``, `did you mean \`${guess}\`?`, path, 'key')
        : make(PolicyErrorCode.InvalidValue, `permission system \`${last}\` must be a map of read, write, restricted, send, template or bcc`,
            `write it as \`${last}: { read: [...], write: [...] }\`, or use one of ${permissionKeys.join(', ')}`, path, 'key'));
      continue;
    }
    if (issue.code === 'invalid_type' && value === undefined) {
      const field = typeof last === 'string' ? last : formatPath(path);
      errors.push(make(PolicyErrorCode.MissingField, `\`${field}\` is missing${parent.length ? ` in \`${formatPath(parent)}\`` : ''}`,
        `add \`${field}:\` (${issue.expected === 'object' ? 'a map' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`})`, parent, 'value'));
      continue;
    }
    if (issue.code === 'invalid_value') {
      const allowed = issue.values.map(String);
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      errors.push(make(PolicyErrorCode.InvalidValue, `\`${formatPath(path)}\` is ${show(value)}; it must be one of ${allowed.join(', ')}`,
        guess ? `did you mean \`${guess}\`?` : `use one of ${allowed.join(', ')}`, path));
      continue;
    }
    const expected = issue.code === 'invalid_type' ? `must be ${article(issue.expected)}, not ${show(value)}` : issue.message;
    errors.push(make(PolicyErrorCode.InvalidValue, `\`${formatPath(path)}\` ${expected}`, hintFor(issue), path));
  }
  return errors;
}

function hintFor(issue: z.core.$ZodIssue): string {
  if ((issue.code === 'too_small' || issue.code === 'too_big') && issue.origin === 'string') return 'write a non-empty value';
  if (issue.code === 'too_small' || issue.code === 'too_big') return 'change the number to fit the limit';
  if (issue.code === 'invalid_union') return issue.message;
  return 'see the policy reference in the README';
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a map';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value === 'string' ? `\`${value}\`` : String(value);
}

function valueAt(data: unknown, path: YamlPath): unknown {
  let node = data;
  for (const step of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, step)) return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

/** The object shape the schema expects at `path`, for listing known keys. */
function shapeAt(schema: z.ZodType, path: YamlPath): Record<string, unknown> | undefined {
  let node: z.ZodType | undefined = unwrap(schema);
  for (const step of path) {
    if (node instanceof z.ZodObject) {
      const shape = node.shape as Record<string, z.ZodType>;
      node = unwrap(shape[step as string] ?? (node.def.catchall as z.ZodType | undefined));
    } else if (node instanceof z.ZodArray) {
      node = unwrap(node.element as z.ZodType);
    } else return undefined;
  }
  return node instanceof z.ZodObject ? (node.shape as Record<string, unknown>) : undefined;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema;
  while (node instanceof z.ZodOptional || node instanceof z.ZodDefault) node = node.def.innerType as z.ZodType;
  return node;
}
