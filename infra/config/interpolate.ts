/** `${VAR}` and `${VAR:-default}` in `countersign.yaml` string values, from the environment. */
import { isMap, isScalar, isSeq, visit } from 'yaml';
import type { PositionedYaml } from '../../triggers/index.js';
import type { ConfigProblem } from './problems.js';
import { dotted, locate } from './where.js';

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

/** Interpolates every scalar string value (never keys) in place; appends positioned problems. */
export function interpolateDocument(
  p: PositionedYaml,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
): void {
  visit(p.doc, {
    Scalar(key, node, pathNodes) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const { value, errors } = interpolate(node.value, env);
      const cfgPath = pathOf(pathNodes, node);
      for (const message of errors) {
        problems.push({ where: locate(p, file, node.range?.[0]), path: cfgPath, message });
      }
      node.value = value;
    },
  });
}

/** The dotted config path of `leaf`, from the ancestors `visit` passes. */
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
