import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';
import { PolicyError, PolicyErrorCode } from '../errors.js';

export type YamlPath = readonly (string | number)[];

/** A parsed policy file that can say where any of its nodes is. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** Parses YAML keeping node ranges; syntax errors come back positioned, never thrown. */
export function parseYaml(text: string, file: string): { source: YamlSource; errors: PolicyError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return new PolicyError(PolicyErrorCode.YamlSyntax, firstLine(e.message), {
      file,
      line: pos.line,
      column: pos.col,
      hint: e.code === 'TAB_AS_INDENT' ? 'indent with spaces, not tabs' : 'check indentation, quotes and brackets around this spot',
      cause: e,
    });
  });
  return { source: { file, doc, lines }, errors };
}

/** 1-based line and column of a character offset. */
export function lineCol(source: YamlSource, offset: number): { line: number; column: number } {
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

/** The node at `path`, or the nearest existing ancestor, with the key node when the last step is a map key. */
export function nodeAt(source: YamlSource, path: YamlPath): { node: Node | null; key: Node | null; exact: boolean } {
  let node: Node | null = source.doc.contents;
  let key: Node | null = null;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
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

/**
 * Position of a node for an error: the key for unknown keys, the value otherwise, plus `inner`
 * characters into a scalar's text (skipping the opening quote of a quoted scalar).
 */
export function positionAt(
  source: YamlSource,
  path: YamlPath,
  target: 'key' | 'value' = 'value',
  inner?: number,
): { line: number; column: number } {
  const found = nodeAt(source, path);
  const node = target === 'key' && found.key ? found.key : found.node;
  const start = node?.range?.[0] ?? 0;
  let offset = start;
  if (inner !== undefined && isScalar(node)) {
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    offset = start + (quoted ? 1 : 0) + inner;
  }
  return lineCol(source, offset);
}

/** `security.approvalWorkflows[0].trigger` from a path array. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out ? `.${step}` : step;
  return out;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
