/**
 * An integration's settings from the environment, validated with zod once at start. Each
 * integration declares the variables it reads and one zod schema over them; the reader trims
 * values (empty counts as unset), answers null when none of the integration's switch variables
 * is set (the integration is off), and otherwise reports every problem at once, each naming its
 * variable and what to do. Half a configuration stops the service at start, never at the first card.
 */
import { z } from 'zod';

type Env = Readonly<Record<string, string | undefined>>;

/** One problem with one variable. `missing`: it must be set (given what else is set); `invalid`: its value cannot be used. */
export interface EnvProblem {
  readonly variable: string;
  readonly kind: 'missing' | 'invalid';
  /** The whole sentence, naming the variable. Never contains a secret's value. */
  readonly message: string;
}

export interface EnvSpec<T> {
  /** Every variable the integration reads. */
  readonly variables: readonly string[];
  /** Variables whose being set turns the integration on (default: all of `variables`). */
  readonly switches?: readonly string[];
  /**
   * The schema over the set variables (absent when unset). `present` lists the switch variables
   * that are set, for messages such as "SLACK_BOT_TOKEN is not set but SLACK_CHANNEL is set".
   */
  readonly schema: (present: readonly string[]) => z.ZodType<T>;
  /** The integration's own error for these problems (its config code, in order of the variables). */
  readonly fail: (problems: readonly EnvProblem[]) => Error;
}

/** The settings, or null when no switch variable is set. @throws whatever `spec.fail` builds. */
export function readEnv<T>(env: Env, spec: EnvSpec<T>): T | null {
  const values: Record<string, string> = {};
  for (const name of spec.variables) {
    const value = env[name]?.trim();
    if (value) values[name] = value;
  }
  const present = (spec.switches ?? spec.variables).filter((name) => values[name] !== undefined);
  if (present.length === 0) return null;
  const parsed = spec.schema(present).safeParse(values);
  if (parsed.success) return parsed.data;
  throw spec.fail(parsed.error.issues.map(toProblem));
}

function toProblem(issue: z.core.$ZodIssue): EnvProblem {
  const variable = String(issue.path[0] ?? 'environment');
  const missing = issue.code === 'custom' && (issue as { params?: { missing?: boolean } }).params?.missing === true;
  return { variable, kind: missing ? 'missing' : 'invalid', message: missing ? issue.message : `${variable}: ${issue.message}` };
}

/** `SLACK_CHANNEL is set` / `SLACK_BOT_TOKEN, SLACK_CHANNEL are set`. */
export function areSet(names: readonly string[]): string {
  return `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} set`;
}

/** In a schema's `superRefine`: `name` must be set; `why` says what makes it necessary. */
export function requireSet(ctx: z.RefinementCtx, name: string, why: string): void {
  ctx.addIssue({ code: 'custom', path: [name], message: `${name} is not set but ${why}`, params: { missing: true } });
}

/** The message of all problems, one sentence each. */
export function describeProblems(problems: readonly EnvProblem[]): string {
  return problems.map((p) => p.message).join('; ');
}

/** A variable that must be an absolute http(s) URL. */
export const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL, e.g. https://example.com');

/** A variable that must be a whole number (milliseconds, ids, …), parsed. */
export const wholeNumber = (what: string) => z.string().regex(/^\d+$/, `must be ${what}`).transform(Number);
