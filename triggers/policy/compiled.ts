import type { ChangeWindow } from '../change-window/index.js';
import type { CompiledCondition } from '../expression/index.js';
import type { Outcome } from '../decide/outcome.js';
import type { ApprovalRoute, RuleRef } from '../../core/index.js';

/** Rate limits from `security.rateLimit`, in whole numbers and seconds. Held by the pipeline, not by decide(). */
export interface RateLimit {
  readonly maxActionsPerMinute: number | null;
  readonly maxRemediationsPerHour: number | null;
  readonly cooldownAfterRemediationSeconds: number | null;
  /** Action patterns that count as remediations; empty means every `execute` entry's action. */
  readonly remediations: readonly string[];
}

/** A route plus where it was written, shared by every rule kind that asks a person. */
export interface CompiledRoute extends ApprovalRoute {
  readonly rule: RuleRef;
}

export interface CompiledTrigger {
  readonly condition: CompiledCondition;
  readonly route: CompiledRoute;
  /**
   * Action roots the condition is about: `refund` for `refund.amount > 50`. The trigger applies
   * only to actions whose first segment (or a param) is one of them; empty = applies to all.
   */
  readonly scopes: readonly string[];
  /** The outcome when the trigger matches, built once. */
  readonly matched: Outcome;
}

export interface CompiledExecute {
  readonly matchesAction: (action: string) => boolean;
  readonly condition: CompiledCondition | null;
  /** null means `approval: auto`. */
  readonly route: CompiledRoute | null;
  readonly rule: RuleRef;
  /** The entry's name as written (`block-ip`, `deploy.*`). */
  readonly name: string;
  /** The outcome when the condition holds, built once (null for glob names: it names the action). */
  readonly held: Outcome | null;
}

/** One permission set: the flat `permissions:` block, or one system (`salesforce:`) of a grouped block. */
export interface CompiledPermissionSet {
  /** null for the flat block; `salesforce` for `permissions.salesforce`. */
  readonly system: string | null;
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly restricted: readonly string[];
  readonly restrictedRoute: CompiledRoute | null;
  /** Verb modes such as `email.send` ← `email: { send: allowed-with-review }`; they cover sub-actions too. */
  readonly verbs: readonly VerbMode[];
  readonly templateRequired: boolean;
  readonly rule: RuleRef;
  /** Outcomes parallel to `read`, `write` and `restricted`, built once. */
  readonly readGrants: readonly Outcome[];
  readonly writeGrants: readonly Outcome[];
  readonly restrictedOutcomes: readonly Outcome[];
  /** The deny for a missing template, when `template: required`. */
  readonly templateDeny: Outcome | null;
}

export interface VerbMode {
  /** The action this mode governs, `<system>.<verb>`, and its sub-actions `<system>.<verb>.*`. */
  readonly action: string;
  readonly mode: 'allowed' | 'allowed-with-review' | 'denied';
  readonly rule: RuleRef;
  readonly outcome: Outcome;
}

export interface CompiledChangeManagement {
  readonly requireTicket: boolean;
  readonly window: ChangeWindow | null;
  readonly override: CompiledRoute | null;
  readonly rule: RuleRef;
  readonly ticketDeny: Outcome;
  /** What a production change outside the window gets: the override, or a deny without one. */
  readonly outsideWindow: Outcome;
}

/** A policy validated and compiled once at load; `decide()` reads it and never parses. */
export interface CompiledPolicy {
  readonly blueprint: string;
  readonly file: string;
  /** sha256 of the YAML text: the policy version an approval was decided under. */
  readonly hash: string;
  /** Every approver group the policy names. */
  readonly groups: readonly string[];
  /** Fields classed as PII (or `redact-from-logs`): redacted from logs and audit exports. */
  readonly piiFields: readonly string[];
  readonly rateLimit: RateLimit | null;
  /** The parsed YAML as plain data, for display. */
  readonly source: unknown;
  readonly triggers: readonly CompiledTrigger[];
  readonly execute: readonly CompiledExecute[];
  readonly permissionSets: readonly CompiledPermissionSet[];
  readonly changeManagement: CompiledChangeManagement | null;
  /** Default route pieces from `approvalDefaults` (or built-in defaults). */
  readonly defaults: CompiledRoute;
  /** Line of `security.permissions`, for the least-privilege default rule. */
  readonly permissionsLine: number;
  /** Step 7: nothing grants the action. */
  readonly leastPrivilege: Outcome;
}

/** What `loadPolicy` needs besides the text. */
export interface LoadOptions {
  /** Shown in errors; not read. */
  readonly file: string;
  /** Known approver group names (from the service config). When given, an unknown group is an error. */
  readonly groups?: ReadonlySet<string>;
  /**
   * The channel names a rule may route to, in the order errors list them: the channel registry's
   * (integrations/channels), which the engine does not know by itself.
   */
  readonly channels: readonly string[];
}
