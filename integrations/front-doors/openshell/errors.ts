/**
 * Stable error codes of the OpenShell adapter. A {@link FinalErrorCode} will not get better by
 * retrying (bad configuration, credentials, a chunk that is gone); a {@link RetryableErrorCode}
 * may (gateway down, deadline, a rotated review token). Gateway gRPC statuses map here once, in
 * {@link fromGrpc}, so every log line and HTTP answer says the same thing.
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
  },
  {
    Unreachable: 'OPENSHELL_UNREACHABLE',
    StaleToken: 'OPENSHELL_STALE_TOKEN',
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
      return new OpenShellError(RetryableErrorCode.StaleToken, `OpenShell ${what}: precondition failed (stale review token or chunk state): ${detail}`, e.code);
    case GrpcStatus.INVALID_ARGUMENT:
      return new OpenShellError(FinalErrorCode.Rejected, `OpenShell ${what}: the gateway rejected the request: ${detail}`, e.code);
    default:
      return new OpenShellError(RetryableErrorCode.Gateway, `OpenShell ${what} failed: ${detail}`, e.code);
  }
}
