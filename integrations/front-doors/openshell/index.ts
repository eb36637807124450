/**
 * OpenShell front door: Countersign reviews the gateway's pending draft policy chunks.
 *
 * Public API:
 * - {@link createOpenShellIntegration}: the integration factory (`OPENSHELL_*` environment).
 * - {@link readConfig} / {@link OpenShellConfig}: the environment it reads.
 * - {@link createGatewayClient}: the gRPC client (also used by `countersign openshell check`).
 * - {@link chunkRequest}, {@link fingerprint}, {@link EGRESS_ACTION}: how a chunk becomes a request.
 * - {@link OpenShellError} with {@link FinalErrorCode} / {@link RetryableErrorCode}.
 */
export { createOpenShellIntegration, OPENSHELL_INTEGRATION, type OpenShellOptions } from './integration.js';
export { readConfig, type OpenShellConfig } from './config.js';
export { createGatewayClient, type GatewayClient } from './client.js';
export { chunkRequest, EGRESS_ACTION, fingerprint, idempotencyKey, type ChunkBinding } from './chunk.js';
export { CALLBACK_PATH, callbackUrl } from './callback.js';
export { portSubmitter, type Submitter, type SubmitResult } from './submit.js';
export type { LedgerEntry, Outcome } from './ledger.js';
export { FinalErrorCode, OpenShellError, RetryableErrorCode, type OpenShellErrorCode } from './errors.js';
export { openShellService, protoPath, type WireChunk, type WireEndpoint } from './proto.js';
