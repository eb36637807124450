/**
 * Stable error codes of the OpenShell adapter. A {@link FinalErrorCode} will not get better by
 * retrying (bad configuration, credentials, a chunk that is gone, a proposal whose inputs changed
 * since it was reviewed); a {@link RetryableErrorCode} may (gateway down, deadline). Gateway gRPC
 * statuses map here once, in {@link fromGrpc}, so every log line and HTTP answer says the same
 * thing. The gateway's FAILED_PRECONDITION answers are told apart by their text (upstream
 * crates/openshell-server/src/grpc/policy.rs): "… refetch and review again" (the review token or
 * the proposal's inputs changed), "proposal is not applicable: …", "chunk status is …" / "… no
 * longer pending …", and the rest (an active global policy, a merge conflict).
 */
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { CountersignError, errorCodes, type CodeOf } from '../../../core/index.js';

const codes = errorCodes(
  {
    Config: 'OPENSHELL_CONFIG',
    Unauthenticated: 'OPENSHELL_UNAUTHENTICATED',
    PermissionDenied: 'OPENSHELL_PERMISSION_DENIED',
    NotFound: 'OPENSHELL_NOT_FOUND',
    Rejected: 'OPENSHELL_REJECTED',
    /** The review token or the proposal's live inputs changed since it was reviewed: review it again. */
    Changed: 'OPENSHELL_CHANGED',
    /** The gateway cannot apply the proposal (`application_error`). */
    NotApplicable: 'OPENSHELL_NOT_APPLICABLE',
    /** The chunk is no longer in a state this decision applies to (decided at the gateway). */
    NotPending: 'OPENSHELL_NOT_PENDING',
    /** Any other precondition: an active global policy, a merge conflict. */
    Precondition: 'OPENSHELL_PRECONDITION',
    /** Countersign refused the submission for good (the agent is not bound to the blueprint, …). */
    SubmitRefused: 'OPENSHELL_SUBMIT_REFUSED',
  },
  {
    Unreachable: 'OPENSHELL_UNREACHABLE',
    Gateway: 'OPENSHELL_GATEWAY_ERROR',
    Submit: 'OPENSHELL_SUBMIT_FAILED',
  },
);
export const FinalErrorCode = codes.Final;
export const RetryableErrorCode = codes.Retryable;
export type OpenShellErrorCode = CodeOf<typeof codes>;

/** An adapter failure with a stable code; `retryable` says whether trying again can help. */
export class OpenShellError extends CountersignError<OpenShellErrorCode> {
  constructor(
    code: OpenShellErrorCode,
    message: string,
    readonly grpcCode?: number,
  ) {
    super(code, message, { finality: codes.finalityOf(code) });
  }
}

/** Maps a gRPC error from the gateway to a clear {@link OpenShellError}. `what` names the call. */
export function fromGrpc(error: unknown, what: string, gateway: string): OpenShellError {
  if (error instanceof OpenShellError) return error;
  const e = error as Partial<ServiceError>;
  const detail = e.details || e.message || String(error);
  switch (e.code) {
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
    case GrpcStatus.CANCELLED:
      return new OpenShellError(RetryableErrorCode.Unreachable, `OpenShell gateway ${gateway} is unreachable (${what}): ${detail}`, e.code);
    case GrpcStatus.UNAUTHENTICATED:
      return new OpenShellError(
        FinalErrorCode.Unauthenticated,
        `OpenShell gateway ${gateway} refused our credentials (${what}): check OPENSHELL_TOKEN or the mTLS client certificate: ${detail}`,
        e.code,
      );
    case GrpcStatus.PERMISSION_DENIED:
      return new OpenShellError(
        FinalErrorCode.PermissionDenied,
        `OpenShell gateway ${gateway} denied ${what}: the reviewer identity lacks permission: ${detail}`,
        e.code,
      );
    case GrpcStatus.NOT_FOUND:
      return new OpenShellError(FinalErrorCode.NotFound, `OpenShell ${what}: not found: ${detail}`, e.code);
    case GrpcStatus.FAILED_PRECONDITION:
      if (/refetch and review again/i.test(detail)) {
        return new OpenShellError(FinalErrorCode.Changed, `OpenShell ${what}: the proposal or its inputs changed since it was reviewed: ${detail}`, e.code);
      }
      if (/not applicable/i.test(detail)) return new OpenShellError(FinalErrorCode.NotApplicable, `OpenShell ${what}: ${detail}`, e.code);
      if (/chunk status is|no longer pending/i.test(detail)) return new OpenShellError(FinalErrorCode.NotPending, `OpenShell ${what}: ${detail}`, e.code);
      return new OpenShellError(FinalErrorCode.Precondition, `OpenShell ${what}: the gateway refused: ${detail}`, e.code);
    case GrpcStatus.INVALID_ARGUMENT:
      return new OpenShellError(FinalErrorCode.Rejected, `OpenShell ${what}: the gateway rejected the request: ${detail}`, e.code);
    default:
      return new OpenShellError(RetryableErrorCode.Gateway, `OpenShell ${what} failed: ${detail}`, e.code);
  }
}
