/**
 * Loading a policy: YAML text → positioned syntax errors → schema (strict, with "did you mean")
 * → compiled rules. All problems of a file are reported together in file order.
 */
import { createHash } from 'node:crypto';
import { PolicyError, PolicyErrorCode, PolicyLoadError } from '../errors.js';
import type { CompiledPolicy, LoadOptions } from './compiled.js';
import { compilePolicy } from './compile.js';
import { CompileContext } from './context.js';
import { issuesToErrors } from './issues.js';
import { PolicySchema } from './schema.js';
import { parseYaml } from './yaml-source.js';

export type { CompiledPolicy, CompiledRoute, LoadOptions, RateLimit } from './compiled.js';
export type { PolicyDocument } from './schema.js';

/**
 * Validates and compiles one policy file's text. Call once per file change, never per request.
 * @throws PolicyLoadError listing every `PolicyError` with file, line and column.
 */
export function loadPolicy(text: string, options: LoadOptions): CompiledPolicy {
  const { file } = options;
  const { source, errors } = parseYaml(text, file);
  if (errors.length > 0) throw new PolicyLoadError(file, errors);

  const data: unknown = source.doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const pos = source.doc.contents?.range ? source.lines.linePos(source.doc.contents.range[0]) : { line: 1, col: 1 };
    throw new PolicyLoadError(file, [
      new PolicyError(PolicyErrorCode.MissingField, 'a policy file must be a map with `blueprint:` and `security:`', {
        file, line: pos.line, column: pos.col, hint: 'start the file with `blueprint: <name>` and a `security:` section',
      }),
    ]);
  }
  const parsed = PolicySchema.safeParse(data);
  if (!parsed.success) {
    const blueprint = typeof (data as { blueprint?: unknown }).blueprint === 'string' ? (data as { blueprint: string }).blueprint : undefined;
    throw new PolicyLoadError(file, inFileOrder(issuesToErrors(PolicySchema, parsed.error.issues, source, data, blueprint)));
  }
  const ctx = new CompileContext(source, parsed.data.blueprint, options.groups, options.channels);
  const policy = compilePolicy(parsed.data, ctx, { file, hash: createHash('sha256').update(text).digest('hex') });
  if (ctx.errors.length > 0) throw new PolicyLoadError(file, inFileOrder(ctx.errors));
  return policy;
}

function inFileOrder(errors: PolicyError[]): PolicyError[] {
  return errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
export { keepsModelIO, signsAudit } from './audit-log.js';
