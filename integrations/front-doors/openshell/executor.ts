/**
 * Carrying a Countersign verdict out at the gateway, at most once per action id.
 *
 * Before acting it re-reads the chunk: gone, no longer `pending`, or a different proposal than
 * the one approved (fingerprint) → nothing is executed and the outcome says why; never approve a
 * proposal nobody saw. Approve uses the chunk's current review token; a stale token
 * (`FAILED_PRECONDITION`) re-reads and tries again. The outcome is written to the ledger before
 * the caller answers, and concurrent deliveries of one id share one run.
 */
import type { Logger } from 'pino';
import { fingerprint, type ChunkBinding } from './chunk.js';
import type { GatewayClient } from './client.js';
import { FinalErrorCode, OpenShellError, RetryableErrorCode } from './errors.js';
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

/** Attempts when the review token keeps rotating under us. */
const TOKEN_ATTEMPTS = 3;

export function createExecutor(deps: { gateway: GatewayClient; ledger: Ledger; logger: Logger }) {
  const inflight = new Map<string, Promise<LedgerEntry>>();

  async function run(v: Verdict): Promise<LedgerEntry> {
    const { sandbox, chunkId } = v.binding;
    const done = (outcome: LedgerEntry['outcome'], reason: string): LedgerEntry => {
      const entry = { id: v.id, sandbox, chunkId, outcome, decidedBy: v.decidedBy, reason, at: Date.now() };
      deps.ledger.record(entry);
      deps.logger.info({ actionId: v.id, sandbox, chunkId, outcome, decidedBy: v.decidedBy }, `openshell ${sandbox}/${chunkId}: ${outcome} (${reason})`);
      return entry;
    };
    const rejectReason = v.status === 'expired' ? 'expired' : v.reason || `${v.status} in Countersign`;
    for (let attempt = 1; attempt <= TOKEN_ATTEMPTS; attempt++) {
      const chunk = (await deps.gateway.getDraft(sandbox, '')).find((c) => c.id === chunkId);
      if (!chunk) return done('decided_elsewhere', 'the chunk no longer exists at the gateway');
      if (fingerprint(chunk) !== v.binding.fingerprint) return done('changed', 'the proposal changed after it was reviewed; it goes back for review');
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
        if (e.code === FinalErrorCode.NotFound) return done('decided_elsewhere', 'the chunk no longer exists at the gateway');
        if (e.code !== RetryableErrorCode.StaleToken) throw error;
        deps.logger.info({ actionId: v.id, sandbox, chunkId, attempt }, 'openshell: stale review token, re-reading the chunk');
      }
    }
    throw new OpenShellError(RetryableErrorCode.StaleToken, `the review token of ${sandbox}/${chunkId} kept changing; will retry`);
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
