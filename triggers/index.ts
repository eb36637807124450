/**
 * triggers: the pure policy engine. YAML text → validated, compiled policy → `decide()`, and the
 * submission step beside it (approver groups → ids, rate-limit rules). No I/O: callers read files
 * and pass text; time is always an input.
 */
export { PolicyError, PolicyErrorCode, PolicyLoadError } from './errors.js';
export type { PolicyErrorContext } from './errors.js';
export { compileTrigger, MISSING } from './expression/index.js';
export type { CompiledCondition, RootResolver, Truth } from './expression/index.js';
export { formatDuration, parseDuration } from './duration.js';
export type { Seconds } from './duration.js';
export { parseChangeWindow } from './change-window/index.js';
export type { ChangeWindow } from './change-window/index.js';
export { keepsModelIO, loadPolicy, signsAudit } from './policy/index.js';
export type { CompiledPolicy, LoadOptions, RateLimit } from './policy/index.js';
export { decide } from './decide/index.js';
export { blockFor, denyInstead, isRemediation, limitsOf, permitFor, resolveApprovers, unavailableBlock, type RateLimitBlock } from './submission/index.js';
export { closest, distance } from './did-you-mean.js';
export { formatPath, keyNodeAt, lineCol, nodeAt, parsePositioned, positionOf } from './yaml/index.js';
export type { NodeAtOptions, NodeAtResult, Position, PositionedYaml, YamlPath, YamlSyntaxProblem } from './yaml/index.js';
export {
  decisionJson,
  DEFAULT_AGENT,
  explainDecision,
  formatDecision,
  formatError,
  formatErrors,
  formatPolicyDiff,
  formatRule,
  policyDiff,
  parseAt,
  parseInstant,
  parseJson,
  parseRequestText,
  REQUEST_KEYS,
  RequestSchema,
  toActionRequest,
} from './explain/index.js';
export type { JsonErrorInfo, JsonResult, PolicyDiff, PolicyValueChange, RequestInput } from './explain/index.js';
