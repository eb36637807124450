/**
 * Activity signatures as the workflow sees them. Types only: the workflow bundle imports this
 * file with `import type`, so nothing here may need Node at runtime.
 */
import type { ApprovalInput, ApprovalState, ChannelRef } from '../core/index.js';
import type { AuditEntryInput } from './audit/log.js';
import type { DeliverVerdictInput, DeliverVerdictResult } from './deliver.js';

export type { AuditEntryInput, DeliverVerdictInput, DeliverVerdictResult, ChannelRef };

/** What a card is rendered from: the approval's input and its current state (without history). */
export interface CardContext {
  input: ApprovalInput;
  state: Omit<ApprovalState, 'history'>;
}

export interface PostCardInput {
  /** The channel the policy names (`slack`, `web`, …). */
  channel: string;
  card: CardContext;
}

export interface PostCardResult {
  ref: ChannelRef;
  /** Set when another channel than the requested one serves the approval, and why. */
  fallback?: string;
}

export interface CardUpdateInput {
  ref: ChannelRef;
  card: CardContext;
}

export interface RemindInput extends CardUpdateInput {
  /** Eligible approvers who have not answered yet. */
  pending: string[];
}

export interface EscalateInput extends CardUpdateInput {
  /** Approver ids added by the escalation. */
  to: string[];
}

export interface AuditResult {
  seq: number;
  hash: string;
}

/** The activities the approval workflow calls; `createActivities(deps)` implements them. */
export interface ApprovalActivities {
  audit(entry: AuditEntryInput): Promise<AuditResult>;
  postCard(input: PostCardInput): Promise<PostCardResult>;
  updateCard(input: CardUpdateInput): Promise<void>;
  remind(input: RemindInput): Promise<void>;
  escalate(input: EscalateInput): Promise<void>;
  deliverVerdict(input: DeliverVerdictInput): Promise<DeliverVerdictResult>;
}
