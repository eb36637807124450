/**
 * triggers/explain: decisions and policy errors formatted for people, and the request/time inputs
 * of `policy explain` and policy tests. Shared by the CLI and the API (the console's playground).
 */
export { explainDecision, parseAt, parseRequestText } from './explain.js';
export { formatPolicyDiff, policyDiff, type PolicyDiff, type PolicyValueChange } from './diff.js';
export { decisionJson, formatDecision, formatError, formatErrors, formatRule } from './format.js';
export { parseJson, type JsonErrorInfo, type JsonResult } from './json.js';
export { DEFAULT_AGENT, parseInstant, REQUEST_KEYS, RequestSchema, toActionRequest, type RequestInput } from './request.js';
