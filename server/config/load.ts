/**
 * Loading the service configuration: environment variables plus `countersign.yaml`, validated with
 * zod once at start. Every problem names where it is (the variable, or `file:line:col` and the
 * config path) and what to do about it; all problems are reported together.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import {
  EnvSchema,
  ServiceConfigFileSchema,
  type AgentConfig,
  type ApproverConfig,
  type EnvConfig,
  type ServiceConfigFile,
} from './schema.js';

/** One configuration problem. `where` is `VAR` or `file:line:col`; `path` is the dotted config path. */
export interface ConfigProblem {
  where: string;
  path?: string;
  message: string;
}

/** Thrown by {@link loadConfig}; `problems` lists every problem found, `format()` prints one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'config-invalid' as const;
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
    this.problems = problems;
  }

  format(): string {
    return this.problems.map(formatProblem).join('\n');
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** The validated configuration the service runs with. Paths are absolute. */
export interface ServiceConfig {
  port: number;
  host: string;
  dataDir: string;
  policyDir: string;
  configFile: string;
  temporalAddress: string | undefined;
  namespace: string;
  temporalCli: string | undefined;
  callbackSecret: string | undefined;
  /** COUNTERSIGN_PUBLIC_URL: where approvers reach the API (links on cards). */
  publicUrl: string | undefined;
  logLevel: EnvConfig['COUNTERSIGN_LOG_LEVEL'];
  agents: AgentConfig[];
  approvers: ApproverConfig[];
  groups: Record<string, string[]>;
}

export interface LoadConfigOptions {
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Check that the policy directory exists (default true). */
  checkPolicyDir?: boolean;
}

/** Reads and validates env + config file. @throws {ConfigError} listing every problem. */
export function loadConfig(options: LoadConfigOptions = {}): ServiceConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];

  const envInput: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') envInput[key] = value;
  }
  const parsedEnv = EnvSchema.safeParse(envInput);
  if (!parsedEnv.success) {
    for (const issue of parsedEnv.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      const got = envInput[name];
      const shown = got === undefined || /SECRET/.test(name) ? '' : ` (got ${JSON.stringify(got)})`;
      problems.push({ where: name, message: `${issue.message}${shown}` });
    }
    throw new ConfigError(problems);
  }
  const e = parsedEnv.data;
  const configFile = path.resolve(cwd, e.COUNTERSIGN_CONFIG);
  const policyDir = path.resolve(cwd, e.COUNTERSIGN_POLICY_DIR);

  if (options.checkPolicyDir !== false) {
    if (!existsSync(policyDir) || !statSync(policyDir).isDirectory()) {
      problems.push({
        where: 'COUNTERSIGN_POLICY_DIR',
        message: `${policyDir} is not a directory: create it with your policy YAML files or point COUNTERSIGN_POLICY_DIR at one`,
      });
    }
  }

  let file: ServiceConfigFile | undefined;
  if (!existsSync(configFile)) {
    problems.push({
      where: 'COUNTERSIGN_CONFIG',
      message: `${configFile} does not exist: create it (agents, approvers, groups) or point COUNTERSIGN_CONFIG at one`,
    });
  } else {
    file = parseConfigFile(readFileSync(configFile, 'utf8'), configFile, env, problems);
  }
  if (problems.length > 0 || !file) throw new ConfigError(problems);

  return {
    port: e.COUNTERSIGN_PORT,
    host: e.COUNTERSIGN_HOST,
    dataDir: path.resolve(cwd, e.COUNTERSIGN_DATA_DIR),
    policyDir,
    configFile,
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    temporalCli: e.TEMPORAL_CLI,
    callbackSecret: e.COUNTERSIGN_CALLBACK_SECRET,
    publicUrl: e.COUNTERSIGN_PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.COUNTERSIGN_LOG_LEVEL,
    agents: file.agents,
    approvers: file.approvers,
    groups: file.groups,
  };
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in `text`. Returns the result and the problems found
 * (unset variable without a default, malformed reference). `$${` escapes a literal `${`.
 */
export function interpolate(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): { value: string; errors: string[] } {
  const errors: string[] = [];
  const value = text.replace(/(\$?)\$\{([^}]*)\}/g, (whole, escape: string, body: string) => {
    if (escape) return whole.slice(1);
    const sep = body.indexOf(':-');
    const name = sep === -1 ? body : body.slice(0, sep);
    if (!VAR_NAME.test(name)) {
      errors.push(`\${${body}} is not a valid reference: use \${NAME} or \${NAME:-default}`);
      return whole;
    }
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (sep !== -1) return body.slice(sep + 2);
    errors.push(`environment variable ${name} is not set: set ${name} or write \${${name}:-default}`);
    return whole;
  });
  return { value, errors };
}

function locate(lc: LineCounter, file: string, offset: number | undefined): string {
  if (offset === undefined) return file;
  const { line, col } = lc.linePos(offset);
  return `${file}:${line}:${col}`;
}

function dotted(p: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(root)';
}

/** The deepest node of `doc` along `p` (the node itself when it exists, else its nearest parent). */
function nodeAt(doc: Document, p: readonly PropertyKey[]): { node: Node | undefined; exact: boolean; keyNode?: Node } {
  let node: unknown = doc.contents;
  for (let i = 0; i < p.length; i++) {
    const seg = p[i];
    let next: unknown;
    let keyNode: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? it.key.value : it.key) === seg);
      next = pair?.value;
      keyNode = isScalar(pair?.key) ? pair.key : undefined;
      if (pair && i === p.length - 1) return { node: (next as Node) ?? keyNode, exact: true, keyNode };
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined || next === null) return { node: node as Node, exact: false };
    node = next;
  }
  return { node: node as Node, exact: true };
}

/** Parses, interpolates, validates and cross-checks `countersign.yaml` text. Appends to `problems`. */
export function parseConfigFile(
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
): ServiceConfigFile | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      problems.push({ where: locate(lc, file, err.pos[0]), message: `YAML syntax: ${err.message.split('\n')[0]}` });
    }
    return undefined;
  }

  // Interpolate scalar string values (never keys), remembering where each came from.
  visit(doc, {
    Scalar(key, node, pathNodes) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const { value, errors } = interpolate(node.value, env);
      const cfgPath = pathOf(pathNodes, node);
      for (const message of errors) {
        problems.push({ where: locate(lc, file, node.range?.[0]), path: cfgPath, message });
      }
      node.value = value;
    },
  });

  const raw: unknown = doc.toJS() ?? {};
  const parsed = ServiceConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) pushIssue(issue, doc, lc, file, problems);
    return undefined;
  }
  const cfg = parsed.data;
  crossCheck(cfg, doc, lc, file, problems);
  return problems.length > 0 ? undefined : cfg;
}

function pathOf(pathNodes: readonly unknown[], leaf: unknown): string {
  const segs: PropertyKey[] = [];
  const chain = [...pathNodes, leaf];
  for (let i = 0; i < chain.length - 1; i++) {
    const parent = chain[i];
    const child = chain[i + 1];
    if (isMap(parent) && (child as { key?: unknown }).key !== undefined) {
      const k = (child as { key: unknown }).key;
      segs.push(String(isScalar(k) ? k.value : k));
    } else if (isSeq(parent)) {
      segs.push(parent.items.indexOf(child as never));
    }
  }
  return dotted(segs);
}

function pushIssue(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, file: string, problems: ConfigProblem[]): void {
  const p: PropertyKey[] = [...issue.path];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      const at = nodeAt(doc, [...p, key]);
      problems.push({
        where: locate(lc, file, (at.keyNode ?? at.node)?.range?.[0]),
        path: dotted([...p, key]),
        message: `unknown key "${key}": remove it or check its spelling`,
      });
    }
    return;
  }
  const at = nodeAt(doc, p);
  if (!at.exact && issue.code === 'invalid_type') message = `missing required field: add it`;
  // Never echo a secret's value in a message.
  if (/apiKey|token|callbackSecret/.test(String(p[p.length - 1]))) message = message.replace(/"[^"]*"/g, '"…"');
  problems.push({ where: locate(lc, file, at.node?.range?.[0]), path: dotted(p), message });
}

function crossCheck(cfg: ServiceConfigFile, doc: Document, lc: LineCounter, file: string, problems: ConfigProblem[]): void {
  const at = (p: PropertyKey[]) => locate(lc, file, nodeAt(doc, p).node?.range?.[0]);
  const unique = (list: { value: string; path: PropertyKey[] }[], what: string) => {
    const seen = new Map<string, PropertyKey[]>();
    for (const item of list) {
      const first = seen.get(item.value);
      if (first) {
        problems.push({
          where: at(item.path),
          path: dotted(item.path),
          message: `duplicate ${what}: ${dotted(first)} already uses it; every ${what} must be unique`,
        });
      } else {
        seen.set(item.value, item.path);
      }
    }
  };
  unique(cfg.agents.map((a, i) => ({ value: a.id, path: ['agents', i, 'id'] })), 'agent id');
  unique(cfg.approvers.map((a, i) => ({ value: a.id, path: ['approvers', i, 'id'] })), 'approver id');
  // Agent keys and approver tokens share the `Authorization: Bearer` namespace: unique across both.
  unique(
    [
      ...cfg.agents.map((a, i) => ({ value: a.apiKey, path: ['agents', i, 'apiKey'] as PropertyKey[] })),
      ...cfg.approvers.map((a, i) => ({ value: a.token, path: ['approvers', i, 'token'] as PropertyKey[] })),
    ],
    'API key or approver token',
  );
  const approverIds = new Set(cfg.approvers.map((a) => a.id));
  for (const [group, members] of Object.entries(cfg.groups)) {
    members.forEach((member, i) => {
      if (!approverIds.has(member)) {
        problems.push({
          where: at(['groups', group, i]),
          path: dotted(['groups', group, i]),
          message: `group "${group}" names unknown approver "${member}": add it under approvers or remove it from the group`,
        });
      }
    });
  }
}
