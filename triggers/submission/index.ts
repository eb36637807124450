/**
 * The pure submission step beside the policy engine: what the service must add to a decision
 * before it starts the approval workflow. Approver groups become approver ids (a group nobody can
 * answer for turns the decision into a refusal); rate limits and cooldowns say which permit a
 * submission takes and turn a refused permit into a block.
 */
export { resolveApprovers, type InTenant } from './approvers.js';
export { denyInstead } from './refusal.js';
export { blockFor, isRemediation, limitsOf, permitFor, unavailableBlock, type RateLimitBlock } from './limits.js';
