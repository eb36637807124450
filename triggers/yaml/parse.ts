/**
 * Parsing YAML while keeping where every node came from, so errors can say `file:line:col`.
 * Shared by the policy loader, the CLI's test files and the service config.
 */
import { LineCounter, parseDocument, type Document, type Node, type YAMLError } from 'yaml';

/** A parsed YAML document that can say where any of its nodes is. */
export interface PositionedYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A YAML syntax error at its first character. */
export interface YamlSyntaxProblem extends Position {
  /** The first line of the parser's message, without a trailing `at line …, column …`. */
  readonly message: string;
  /** The parser's own error (its `message` is the parser's, untouched). */
  readonly error: YAMLError;
}

/**
 * Parses one YAML document keeping node ranges (duplicate keys are errors); syntax errors come
 * back positioned in `problems`, never thrown.
 */
export function parsePositioned(text: string): PositionedYaml & { readonly problems: readonly YamlSyntaxProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems = doc.errors.map((error): YamlSyntaxProblem => {
    const { line, column } = lineCol({ lines }, error.pos[0]);
    return { line, column, message: firstLine(error.message), error };
  });
  return { doc, lines, problems };
}

/** 1-based line and column of a character offset. */
export function lineCol(p: { readonly lines: LineCounter }, offset: number): { line: number; column: number } {
  const { line, col } = p.lines.linePos(offset);
  return { line, column: col };
}

/** Start of a node (or of the document when there is none). */
export function positionOf(p: PositionedYaml, node: Node | null | undefined): { line: number; column: number } {
  return lineCol(p, node?.range?.[0] ?? p.doc.contents?.range?.[0] ?? 0);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
