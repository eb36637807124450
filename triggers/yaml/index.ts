/** Positioned YAML: parse keeping node ranges, find nodes by path, report `line:column`. Pure. */
export { lineCol, parsePositioned, positionOf } from './parse.js';
export type { Position, PositionedYaml, YamlSyntaxProblem } from './parse.js';
export { formatPath, keyNodeAt, nodeAt } from './nodes.js';
export type { NodeAtOptions, NodeAtResult, YamlPath } from './nodes.js';
