/**
 * What changed between two versions of a policy, as a security lead reads it: every value that
 * was added, removed or changed, by its YAML path, and the changes that widen what runs without a
 * person (a rule that becomes `approval: auto`, a trigger or restricted resource removed, a grant
 * added). The service records it on every hot reload; `countersign policy diff` prints it.
 */

export interface PolicyValueChange {
  /** `security.permissions.execute[0].approval`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
}

export interface PolicyDiff {
  changes: PolicyValueChange[];
  /** The changes that let more run without a person, each with why. */
  widening: { path: string; why: string }[];
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, {});
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
}

const GRANTS = /^security\.permissions\.(?:[^.[]+\.)?(?:read|write)\[\d+\]$/;
const RESTRICTED = /^security\.permissions\.(?:[^.[]+\.)?restricted\[\d+\]$/;
const TRIGGER = /^security\.approvalWorkflows\[\d+\]\.trigger$/;

/** The value-by-value difference of two policy documents (parsed YAML), and what of it widens. */
export function policyDiff(before: unknown, after: unknown): PolicyDiff {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before, '', a);
  flatten(after, '', b);
  const changes: PolicyValueChange[] = [];
  for (const [path, to] of b) {
    if (!a.has(path)) changes.push({ path, kind: 'added', to });
    else if (JSON.stringify(a.get(path)) !== JSON.stringify(to)) changes.push({ path, kind: 'changed', from: a.get(path), to });
  }
  for (const [path, from] of a) if (!b.has(path)) changes.push({ path, kind: 'removed', from });
  changes.sort((x, y) => x.path.localeCompare(y.path));
  const widening: PolicyDiff['widening'] = [];
  for (const c of changes) {
    if (c.path.endsWith('.approval') && c.to === 'auto' && c.from !== 'auto') widening.push({ path: c.path, why: 'now runs without a person (approval: auto)' });
    if (TRIGGER.test(c.path) && c.kind !== 'added') widening.push({ path: c.path, why: c.kind === 'removed' ? 'a trigger that asked a person is gone' : `the trigger that asks a person changed from ${JSON.stringify(c.from)}` });
    if (RESTRICTED.test(c.path) && c.kind === 'removed') widening.push({ path: c.path, why: `${JSON.stringify(c.from)} is no longer restricted` });
    if (GRANTS.test(c.path) && c.kind === 'added') widening.push({ path: c.path, why: `${JSON.stringify(c.to)} is now granted` });
  }
  return { changes, widening };
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** One line per change: `~ path: from → to`, `+ path: value`, `- path: value`; widening ones marked `!`. */
export function formatPolicyDiff(diff: PolicyDiff): string[] {
  const widening = new Set(diff.widening.map((w) => w.path));
  return diff.changes.map((c) => {
    const mark = widening.has(c.path) ? '!' : ' ';
    if (c.kind === 'added') return `${mark}+ ${c.path}: ${show(c.to)}`;
    if (c.kind === 'removed') return `${mark}- ${c.path}: ${show(c.from)}`;
    return `${mark}~ ${c.path}: ${show(c.from)} → ${show(c.to)}`;
  });
}
