/**
 * Carrying a Countersign verdict out at the gateway, at most once per action id.
 *
 * Before acting it re-reads the chunk: gone, no longer `pending`, not applicable, or not the
 * proposal that was reviewed (fingerprint, review token included) → nothing is executed and the
 * outcome says why; a proposal nobody saw is never approved. Approve presents the review token
 * the approver's proposal carried; when the gateway answers that the proposal or its inputs
 * changed ("… refetch and review again"), the outcome is `changed` and the poller files the new
 * proposal for review; it is never re-read and approved silently. The outcome is written to the
 * ledger before the caller answers, and concurrent deliveries of one id share one run.
 */
import type { Logger } from 'pino';
import { fingerprint, type ChunkBinding } from './chunk.js';
import type { GatewayClient } from './client.js';
import { FinalErrorCode, OpenShellError } from './errors.js';
import type { Ledger, LedgerEntry } from './ledger.js';

export interface Verdict {
  id: string;
  binding: ChunkBinding;
  verdict: 'execute' | 'block';
  /** Countersign status: approved, denied, expired, blocked. */
  status: string;
  reason: string;
  decidedBy: string;
}

export function createExecutor(deps: { gateway: GatewayClient; ledger: Ledger; logger: Logger }) {
  const inflight = new Map<string, Promise<LedgerEntry>>();

  async function run(v: Verdict): Promise<LedgerEntry> {
    const { sandbox, chunkId } = v.binding;
    const done = (outcome: LedgerEntry['outcome'], reason: string): LedgerEntry => {
      const entry = { id: v.id, sandbox, chunkId, outcome, decidedBy: v.decidedBy, reason, at: Date.now() };
      deps.ledger.record(entry);
      const level = outcome === 'refused' ? 'error' : 'info';
      deps.logger[level]({ actionId: v.id, sandbox, chunkId, outcome, decidedBy: v.decidedBy }, `openshell ${sandbox}/${chunkId}: ${outcome} (${reason})`);
      return entry;
    };
    const rejectReason = v.status === 'expired' ? 'expired' : v.reason || `${v.status} in Countersign`;
    let chunk;
    try {
      chunk = (await deps.gateway.getDraft(sandbox, '')).find((c) => c.id === chunkId);
    } catch (error) {
      if ((error as OpenShellError).code === FinalErrorCode.NotFound) return done('decided_elsewhere', 'the sandbox no longer exists at the gateway');
      throw error;
    }
    if (!chunk) return done('decided_elsewhere', 'the chunk no longer exists at the gateway');
    if (chunk.application_error) return done('not_applicable', `the gateway cannot apply this proposal: ${chunk.application_error}`);
    if (fingerprint(chunk) !== v.binding.fingerprint) return done('changed', 'the proposal or its inputs changed after it was reviewed; it goes back for review');
    const target = v.verdict === 'execute' ? 'approved' : 'rejected';
    if (chunk.status === target) return done(target, `already ${target} at the gateway`);
    if (chunk.status !== 'pending') return done('decided_elsewhere', `the chunk was already ${chunk.status} at the gateway`);
    try {
      if (v.verdict === 'execute') {
        await deps.gateway.approve(sandbox, chunkId, chunk.review_token);
        return done('approved', `approved in Countersign by ${v.decidedBy}`);
      }
      await deps.gateway.reject(sandbox, chunkId, rejectReason);
      return done('rejected', rejectReason);
    } catch (error) {
      const e = error as OpenShellError;
      switch (e.code) {
        case FinalErrorCode.Changed:
          return done('changed', `${e.message}; it goes back for review`);
        case FinalErrorCode.NotApplicable:
          return done('not_applicable', e.message);
        case FinalErrorCode.NotFound:
        case FinalErrorCode.NotPending:
          return done('decided_elsewhere', e.message);
        case FinalErrorCode.Precondition:
        case FinalErrorCode.Rejected:
          return done('refused', e.message);
        default:
          // Unreachable, credentials, permissions: answered 503, so the verdict is delivered again once fixed.
          throw error;
      }
    }
  }

  /** The recorded outcome for `v.id`, executing it first when nothing is recorded yet. */
  return function execute(v: Verdict): Promise<LedgerEntry> {
    const recorded = deps.ledger.get(v.id);
    if (recorded) return Promise.resolve(recorded);
    let p = inflight.get(v.id);
    if (!p) {
      p = run(v).finally(() => inflight.delete(v.id));
      inflight.set(v.id, p);
    }
    return p;
  };
}

export type Executor = ReturnType<typeof createExecutor>;
