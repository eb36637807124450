/**
 * The channel kit: what every approver channel is built from, so a new channel is its own folder
 * plus one line in the registry (integrations/channels/index.ts).
 *
 * - {@link ApprovalChannel}: the outbound side the worker calls (post, update, remind, escalate);
 * - {@link readEnv}: the channel's settings, validated with zod at start (front doors use it too);
 * - {@link mountRawPost}: an inbound route whose body stays raw for signature checks;
 * - signatures: HMAC, constant-time comparison and the 5-minute timestamp window;
 * - {@link ReplayGuard}: the one bounded (optionally persisted) replay guard;
 * - {@link ApproverDirectory}: the person the vendor names → approver ids;
 * - {@link answer}: decide through the workflow, then report back ({@link Feedback} texts);
 * - {@link channelErrors}, {@link vendorErrors}: a channel's errors (over HTTP: with `Retry-After`).
 */
export type { ApprovalChannel, ChannelRegistry } from './channel.js';
export { areSet, describeProblems, httpUrl, readEnv, requireSet, wholeNumber, type EnvProblem, type EnvSpec } from './env.js';
export { header, mountRawPost, type RawRoute } from './raw-route.js';
export { anyEquals, hmacSha256, safeEqual, SIGNATURE_WINDOW_MS, withinWindow } from './signatures.js';
export { ReplayGuard, type ReplayGuardOptions } from './replay-guard.js';
export { ApproverDirectory } from './directory.js';
export { answer, Feedback, type AnswerOutcome, type AnswerReport, type ChannelAnswer } from './answer.js';
export { channelErrors, parseRetryAfter, vendorErrors, type ChannelErrorOptions } from './errors.js';
