/** A policy file's YAML with positions: syntax errors as PolicyErrors, and where a path's node is. */
import { isScalar, Scalar } from 'yaml';
import { PolicyError, PolicyErrorCode } from '../errors.js';
import { formatPath, lineCol, nodeAt, parsePositioned, type PositionedYaml, type YamlPath } from '../yaml/index.js';

export { formatPath, lineCol, nodeAt, type YamlPath };

/** A parsed policy file that can say where any of its nodes is. */
export interface YamlSource extends PositionedYaml {
  readonly file: string;
}

/** Parses YAML keeping node ranges; syntax errors come back positioned, never thrown. */
export function parseYaml(text: string, file: string): { source: YamlSource; errors: PolicyError[] } {
  const { doc, lines, problems } = parsePositioned(text);
  const errors = problems.map(
    (p) =>
      new PolicyError(PolicyErrorCode.YamlSyntax, p.message, {
        file,
        line: p.line,
        column: p.column,
        hint: p.error.code === 'TAB_AS_INDENT' ? 'indent with spaces, not tabs' : 'check indentation, quotes and brackets around this spot',
        cause: p.error,
      }),
  );
  return { source: { file, doc, lines }, errors };
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
