/**
 * Rate limits and cooldowns on the submit path: the rules are triggers/submission (which permit a
 * submission takes, what a refusal means); this takes the permit from the limiter workflow (see
 * limiter-client.ts). When the limiter cannot be reached the action is blocked (fail closed).
 */
import type { ActionRequest, Decision } from '../../core/index.js';
import { blockFor, permitFor, unavailableBlock, type CompiledPolicy, type RateLimitBlock } from '../../triggers/index.js';
import { LimiterClient, LimiterUnavailableError, type LimiterClientOptions } from './limiter-client.js';

export interface RateLimiterOptions extends LimiterClientOptions {
  /**
   * Multiplies every window and cooldown (default 1). Tests use e.g. 0.05: a minute becomes 3 s,
   * an hour 180 s, a 60 s cooldown 3 s.
   */
  timeScale?: number;
}

/** The policy's limits on the submit path; `acquire` (limiter-client.ts) takes one permit directly. */
export class RateLimiter extends LimiterClient {
  readonly timeScale: number;
  constructor(options: RateLimiterOptions) {
    super(options);
    this.timeScale = options.timeScale ?? 1;
  }

  /**
   * For a decision the policy did not deny, under a policy with limits: takes a permit
   * (`requestId` = the action id, so a retried submission is not counted twice). Null when nothing
   * holds (or nothing applies); otherwise the refusal to start the approval workflow with.
   */
  async check(args: { policy: CompiledPolicy; request: ActionRequest; decision: Decision; id: string }): Promise<RateLimitBlock | null> {
    const { policy, request, decision, id } = args;
    const wanted = permitFor(policy, request, decision, id, this.timeScale);
    if (!wanted) return null;
    try {
      return blockFor(policy, request, decision, wanted.permit.kind, await this.acquire(wanted.key, wanted.permit));
    } catch (error) {
      if (!(error instanceof LimiterUnavailableError)) throw error;
      return unavailableBlock(policy, request, decision);
    }
  }
}
