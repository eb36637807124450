/**
 * core: the one contract every layer shares, at the bottom of the import graph. It imports no
 * other project folder and does no I/O; its only packages are Temporal's definition helpers
 * (`defineUpdate`, `defineSearchAttributeKey`), which are plain values. Workflow code imports it
 * too, so nothing here may use a Node built-in: the digests and signatures that need node:crypto
 * are the separate entry point core/crypto.
 *
 * - request: what an agent asks for and what the policy answers (`ActionRequest`, `Decision`);
 * - status, approval, messages: the approval workflow's wire contract and typed handles;
 * - limiter: the limiter workflow's wire contract and typed handles;
 * - audit: audit entries, and the audit-trail workflow that records what the API refuses;
 * - search-attributes: the visibility attributes, declared once;
 * - sla: the deadline both the API and the workflow compute;
 * - channel: card and card references, the built-in web channel;
 * - people: agents (bound to blueprints), approvers (in tenants) and groups;
 * - ports: what integrations get from the wiring (`Decider`, `SubmitAction`);
 * - errors: the error base (`code`, `finality`, `retryAfterMs`, `details`, `cause`);
 * - duration, canonical-json, redact: formats shared by policies, config, cards and the audit log.
 */
export * from './request.js';
export * from './status.js';
export * from './approval.js';
export * from './messages.js';
export * from './limiter.js';
export * from './audit.js';
export * from './search-attributes.js';
export * from './sla.js';
export * from './channel.js';
export * from './people.js';
export * from './ports.js';
export * from './errors.js';
export { DurationError, formatDuration, MAX_DURATION_SECONDS, parseDuration, type Seconds } from './duration.js';
export { canonicalJson } from './canonical-json.js';
export { redact, REDACTED } from './redact.js';
export * from './freeze.js';
