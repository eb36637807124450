/**
 * Positions inside a YAML document, for errors the CLI raises itself (test files, duplicate
 * blueprints): the node's first character, 1-based, like the policy loader reports.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';

export interface Positioned {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface YamlSyntaxProblem extends Position {
  readonly message: string;
}

/** Parses one YAML document keeping node ranges; syntax errors come back positioned. */
export function parsePositioned(text: string): Positioned & { readonly problems: readonly YamlSyntaxProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const problems = doc.errors.map((e) => {
    const at = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
    return { line: at.line, column: at.col, message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') };
  });
  return { doc, lines, problems };
}

/** Start of a node (or of the document when there is none). */
export function positionOf(p: Positioned, node: Node | null | undefined): Position {
  const offset = node?.range?.[0] ?? p.doc.contents?.range?.[0] ?? 0;
  const { line, col } = p.lines.linePos(offset);
  return { line, column: col };
}

function pairOf(node: unknown, key: string): Pair<unknown, unknown> | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)) === key);
}

/** The value node at `path` (map keys and sequence indexes), or the deepest node that exists. */
export function nodeAt(p: Positioned, path: readonly PropertyKey[]): { node: Node | null; found: boolean } {
  let node: unknown = p.doc.contents;
  for (const seg of path) {
    if (isSeq(node) && typeof seg === 'number') {
      const next = node.items[seg];
      if (next === undefined) return { node: node as Node, found: false };
      node = next;
    } else {
      const pair = pairOf(node, String(seg));
      if (!pair) return { node: (node as Node | null) ?? null, found: false };
      node = pair.value ?? pair.key;
    }
  }
  return { node: (node as Node | null) ?? null, found: true };
}

/** The key node of `key` inside the map at `path`. */
export function keyNodeAt(p: Positioned, path: readonly PropertyKey[], key: string): Node | null {
  const parent = nodeAt(p, path);
  const pair = pairOf(parent.node, key);
  return (pair?.key as Node | undefined) ?? parent.node;
}

/** Levenshtein distance, for "did you mean …?" hints. */
export function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a small edit distance, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
