/**
 * The policy playground's service (`POST /v1/policy/lint`, `POST /v1/policy/explain`, and the
 * console's playground page): lint YAML with the service's own groups and channels, list the
 * fields a policy's conditions read, and explain a request exactly as `countersign policy explain`
 * does (triggers/explain). Nothing is loaded or stored; the policy directory stays the only source.
 */
import type { Decision } from '../../core/index.js';
import {
  explainDecision,
  formatError,
  parseAt,
  parseRequestText,
  PolicyError,
  PolicyErrorCode,
  PolicyLoadError,
  type CompiledPolicy,
} from '../../triggers/index.js';

/** The policies the playground reads: the loaded ones, and compiling text with the same rules. */
export interface PlaygroundPolicies {
  get(blueprint: string): CompiledPolicy | undefined;
  list(): readonly CompiledPolicy[];
  compile?(text: string, file: string): CompiledPolicy;
  /** The YAML a loaded blueprint was compiled from. */
  text?(blueprint: string): string | undefined;
}

/** One problem as the playground and the API show it. */
export interface LintProblem {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
  hint: string | null;
  /** `file:line:col: code: message` plus the hint, as `policy lint` prints it. */
  text: string;
}

/** A field a policy's conditions read: `refund.amount` → action `refund`, param `amount`. */
export interface PolicyField {
  path: string;
  action: string | null;
  param: string;
}

export type LintResult = { ok: true; blueprint: string; fields: PolicyField[] } | { ok: false; errors: LintProblem[] };
export type ExplainResult = { ok: true; decision: Decision; text: string } | { ok: false; errors: LintProblem[] };

/** What to explain: a loaded blueprint or pasted YAML, a request as JSON text, optionally a time. */
export interface ExplainInput {
  blueprint?: string | undefined;
  yaml?: string | undefined;
  request: string;
  at?: string | undefined;
}

export const PLAYGROUND_FILE = 'playground.yaml';

const problem = (e: PolicyError): LintProblem => ({
  file: e.file ?? PLAYGROUND_FILE,
  line: e.line ?? 0,
  column: e.column ?? 0,
  code: e.code,
  message: e.message,
  hint: e.hint ?? null,
  text: formatError(e),
});

/** The fields every condition of `policy` reads, each once, in policy order. */
export function fieldsOf(policy: CompiledPolicy): PolicyField[] {
  const seen = new Map<string, PolicyField>();
  const add = (path: string, scopes: readonly string[]) => {
    if (seen.has(path)) return;
    const [root, ...rest] = path.split('.');
    const scoped = rest.length > 0 && scopes.includes(root!);
    seen.set(path, { path, action: scoped ? root! : null, param: scoped ? rest.join('.') : path });
  };
  for (const t of policy.triggers) for (const p of t.condition.paths) add(p, t.scopes);
  for (const e of policy.execute) for (const p of e.condition?.paths ?? []) add(p, []);
  return [...seen.values()];
}

export class Playground {
  constructor(
    private readonly policies: PlaygroundPolicies,
    private readonly now: () => number,
  ) {}

  /** Compiles `yaml` as a policy file of this service would be; never throws. */
  lint(yaml: string): LintResult {
    const compiled = this.compile(yaml);
    return compiled.ok ? { ok: true, blueprint: compiled.policy.blueprint, fields: fieldsOf(compiled.policy) } : compiled;
  }

  /** A loaded blueprint's YAML, to start an edit from. */
  source(blueprint: string): string | null {
    return this.policies.text?.(blueprint) ?? null;
  }

  /** The fields of a loaded blueprint, or null when none has that name. */
  fields(blueprint: string): PolicyField[] | null {
    const policy = this.policies.get(blueprint);
    return policy ? fieldsOf(policy) : null;
  }

  /** `decide()` on the request, with the explanation `policy explain` prints; never throws. */
  explain(input: ExplainInput): ExplainResult {
    let policy: CompiledPolicy;
    if (input.yaml !== undefined) {
      const compiled = this.compile(input.yaml);
      if (!compiled.ok) return compiled;
      policy = compiled.policy;
    } else {
      const loaded = input.blueprint === undefined ? undefined : this.policies.get(input.blueprint);
      if (!loaded) {
        const known = this.policies.list().map((p) => p.blueprint);
        const message = input.blueprint === undefined ? 'name a loaded blueprint or paste YAML' : `no loaded blueprint is named ${input.blueprint}`;
        return { ok: false, errors: [problem(new PolicyError(PolicyErrorCode.BadRequest, message, { file: 'blueprint', line: 1, column: 1, hint: `loaded: ${known.join(', ') || 'none'}` }))] };
      }
      policy = loaded;
    }
    const request = parseRequestText(input.request, 'request');
    if (!request.ok) return { ok: false, errors: [problem(request.error)] };
    let now = this.now();
    if (input.at !== undefined && input.at.trim() !== '') {
      const at = parseAt(input.at, 'at');
      if (!at.ok) return { ok: false, errors: [problem(at.error)] };
      now = at.ms;
    }
    const file = input.yaml !== undefined ? PLAYGROUND_FILE : policy.file.split('/').pop()!;
    const { decision, text } = explainDecision(policy, request.request, now, file);
    return { ok: true, decision, text };
  }

  private compile(yaml: string): { ok: true; policy: CompiledPolicy } | { ok: false; errors: LintProblem[] } {
    if (!this.policies.compile) {
      return { ok: false, errors: [problem(new PolicyError(PolicyErrorCode.BadRequest, 'this service compiles no pasted policies', { file: PLAYGROUND_FILE, line: 1, column: 1 }))] };
    }
    try {
      return { ok: true, policy: this.policies.compile(yaml, PLAYGROUND_FILE) };
    } catch (error) {
      if (error instanceof PolicyLoadError) return { ok: false, errors: error.errors.map((e) => problem(Object.assign(e, { file: e.file ?? PLAYGROUND_FILE }))) };
      if (error instanceof PolicyError) return { ok: false, errors: [problem(error)] };
      throw error;
    }
  }
}
