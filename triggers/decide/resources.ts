import type { CompiledPermissionSet } from '../policy/compiled.js';

/**
 * How a request names a resource: a bare name (`tickets`) for the flat `permissions:` block, or
 * `<system>:<name>` (`salesforce:opportunity.amount`) for a system of a grouped block. Returns the
 * name inside `set`, or null when the resource belongs to another set.
 */
export function nameInSet(set: CompiledPermissionSet, resource: string): string | null {
  const colon = resource.indexOf(':');
  if (set.system === null) return colon === -1 ? resource : null;
  if (colon !== set.system.length || !resource.startsWith(set.system)) return null;
  return resource.slice(colon + 1);
}

/** `a` equals `b` or lies below it in the dotted hierarchy (`opportunity.amount.currency` under `opportunity.amount`). */
export function within(a: string, b: string): boolean {
  return a === b || (a.length > b.length && a.charCodeAt(b.length) === 46 && a.startsWith(b));
}

/**
 * Index of the restricted entry covering `name`, or -1. A restricted entry covers the resource itself, anything below it, and anything above it:
 * writing `opportunity` as a whole touches the restricted `opportunity.amount`.
 */
export function restrictedBy(list: readonly string[], name: string): number {
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    if (within(name, entry) || within(entry, name)) return i;
  }
  return -1;
}

/** Index of the read or write grant covering `name` (the listed resource or anything below it), or -1. */
export function grantedBy(list: readonly string[], name: string): number {
  for (let i = 0; i < list.length; i++) if (within(name, list[i]!)) return i;
  return -1;
}

/** The action is `verbAction` itself or one of its sub-actions (`email.send.first-contact`). */
export function coversAction(verbAction: string, action: string): boolean {
  return within(action, verbAction);
}
