/** How config problems name their place: `file:line:col` and a dotted config path. */
import { formatPath, lineCol, type PositionedYaml } from '../../triggers/index.js';

/** `file:line:col` of a character offset, or just `file` when there is none. */
export function locate(p: PositionedYaml, file: string, offset: number | undefined): string {
  if (offset === undefined) return file;
  const { line, column } = lineCol(p, offset);
  return `${file}:${line}:${column}`;
}

/** `agents[0].apiKey` from a path array; `(root)` for the empty path. */
export function dotted(path: readonly PropertyKey[]): string {
  return formatPath(path) || '(root)';
}
