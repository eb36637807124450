/** Finding nodes of a parsed YAML document by path, for positioning errors. */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { PositionedYaml } from './parse.js';

/** Map keys and sequence indexes from the document root, e.g. `['security', 'approvalWorkflows', 0]`. */
export type YamlPath = readonly (string | number)[];

/** How {@link nodeAt} matches map keys. */
export interface NodeAtOptions {
  /**
   * Match map keys by their string form, so a path from `doc.toJS()` data (a zod issue path) finds
   * non-string keys too: `"1"` finds the key `1`. Default: the key's value must equal the step.
   */
  readonly stringKeys?: boolean;
}

/** What {@link nodeAt} found: `exact` when the whole path exists, else its nearest existing ancestor. */
export interface NodeAtResult {
  readonly node: Node | null;
  /** The key node when the last step was a map key that exists. */
  readonly key: Node | null;
  readonly exact: boolean;
}

/** The node at `path` (a key with no value stands for its value), or the nearest existing ancestor. */
export function nodeAt(p: PositionedYaml, path: readonly PropertyKey[], options: NodeAtOptions = {}): NodeAtResult {
  return childAt(p.doc.contents, path, options);
}

/** The key node of `key` inside the map at `path`; the map (or its nearest ancestor) when there is none. */
export function keyNodeAt(p: PositionedYaml, path: readonly PropertyKey[], key: string, options: NodeAtOptions = {}): Node | null {
  const parent = nodeAt(p, path, options).node;
  return childAt(parent, [key], options).key ?? parent;
}

/** `security.approvalWorkflows[0].trigger` from a path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out ? `.${String(step)}` : String(step);
  return out;
}

function childAt(root: Node | null, path: readonly PropertyKey[], options: NodeAtOptions): NodeAtResult {
  const same = options.stringKeys
    ? (k: unknown, step: PropertyKey) => String(isScalar(k) ? k.value : k) === String(step)
    : (k: unknown, step: PropertyKey) => (isScalar(k) ? k.value : k) === step;
  let node: Node | null = root;
  let key: Node | null = null;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => same(it.key, step));
      if (!pair) return { node, key: null, exact: false };
      key = (pair.key as Node | null) ?? null;
      node = (pair.value as Node | null) ?? key;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step]) {
      key = null;
      node = node.items[step] as Node;
    } else {
      return { node, key: null, exact: false };
    }
  }
  return { node, key, exact: true };
}
