/**
 * The same blueprint conditions, compiled once by two peer engines: @marcbachmann/cel-js (CEL)
 * and jexl. Only expressions with an operator take part (bare action-name triggers such as
 * `account.modify` are not conditions). Peers get their variables precomputed per request, which
 * favours them: decide() resolves fields lazily from the request inside the timed loop.
 */
import { parse as celParse } from '@marcbachmann/cel-js';
import jexlModule from 'jexl';
import type { ActionRequest } from '../../core/index.js';
import type { CompiledCondition, CompiledPolicy } from '../../triggers/index.js';

/** Every condition of a policy: approvalWorkflows triggers (not bare action patterns) and execute conditions. */
export function conditionsOf(policy: CompiledPolicy): CompiledCondition[] {
  const out: CompiledCondition[] = [];
  for (const t of policy.triggers) if (t.condition.kind === 'condition') out.push(t.condition);
  for (const e of policy.execute) if (e.condition !== null) out.push(e.condition);
  return out;
}

/** Rewrites the policy language's `AND`/`OR`/`NOT` keywords (outside string literals) for CEL. */
export function toCel(source: string): string {
  return source.replace(/('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|\bAND\b|\bOR\b|\bNOT\b/g, (m, quoted: string | undefined) =>
    quoted ?? (m === 'AND' ? '&&' : m === 'OR' ? '||' : '!'));
}

/** The variables an expression sees, as a plain object (the peers' activation). */
export function activation(request: ActionRequest): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  const params = request.params ?? {};
  for (const [k, v] of Object.entries(params)) vars[k] = v;
  const first = request.action.split('.')[0]!;
  if (request.params) vars[first] = params;
  vars['action'] = request.action;
  vars['agent'] = request.agent;
  if (request.resource !== undefined) vars['resource'] = request.resource;
  if (request.context !== undefined) vars['context'] = request.context;
  if (request.params !== undefined) vars['params'] = request.params;
  return vars;
}

export type Evaluate = (vars: Record<string, unknown>) => unknown;

/** CEL programs, parsed once. A missing variable throws in CEL; the caller counts it as unknown. */
export function compileCel(sources: readonly string[]): Evaluate[] {
  return sources.map((s) => {
    const program = celParse(toCel(s));
    return (vars) => program(vars);
  });
}

/** jexl expressions, compiled once, with `AND`/`OR` registered as binary operators. */
export function compileJexl(sources: readonly string[]): Evaluate[] {
  const jexl = new jexlModule.Jexl();
  jexl.addBinaryOp('AND', 10, (a: unknown, b: unknown) => Boolean(a) && Boolean(b));
  jexl.addBinaryOp('OR', 9, (a: unknown, b: unknown) => Boolean(a) || Boolean(b));
  jexl.addUnaryOp('NOT', (a: unknown) => !a);
  return sources.map((s) => {
    const expr = jexl.compile(s);
    return (vars) => expr.evalSync(vars);
  });
}
