/**
 * PII redaction: what leaves the decision (cards, the API's view of a request, logs, the audit
 * log) goes through it with the fields the policy classes as PII or restricted. Pure.
 */

export const REDACTED = '[redacted]';

/**
 * Returns a copy of `value` where every object key named in `fields` (case-insensitive), at any
 * depth (inside arrays too), has its value replaced by `[redacted]`. Cycles are cut.
 */
export function redact<T>(value: T, fields: readonly string[]): T {
  if (fields.length === 0) return value;
  const names = new Set(fields.map((f) => f.toLowerCase()));
  const seen = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[cycle]';
    seen.add(v);
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [k, inner] of Object.entries(v as Record<string, unknown>)) {
      out[k] = names.has(k.toLowerCase()) ? REDACTED : walk(inner);
    }
    return out;
  };
  return walk(value) as T;
}
