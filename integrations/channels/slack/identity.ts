/**
 * Who clicked: a Slack user id → the approver ids it stands for, in this order:
 * 1. approvers whose config `slack` is that user id (`U…`/`W…`): no API call;
 * 2. approvers whose config `email` equals the user's Slack email (`users.info`);
 * 3. approvers whose config `slack` is a Slack user group (`S…`) the user belongs to
 *    (`usergroups.users.list`).
 * Lookups are cached for `ttlMs` (default 5 minutes); failed lookups are not cached.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Approver } from '../../../core/index.js';
import { ApproverDirectory } from '../../kit/index.js';

interface Cached<T> {
  value: T;
  until: number;
}

const isUserGroup = (s: string | undefined): s is string => !!s && /^S[A-Z0-9]+$/.test(s);
const isUserId = (s: string | undefined): s is string => !!s && /^[UW][A-Z0-9]+$/.test(s);

/** Maps Slack users to configured approvers. */
export class SlackIdentity {
  private readonly emails = new Map<string, Cached<string | null>>();
  private readonly groups = new Map<string, Cached<ReadonlySet<string>>>();
  readonly directory: ApproverDirectory;

  constructor(
    private readonly web: webApi.WebClient,
    approvers: readonly Approver[],
    private readonly logger: Logger,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.directory = new ApproverDirectory(approvers, 'slack');
  }

  /** The Slack user id to @-mention for an approver, when its config names one. */
  mention(approverId: string): string | null {
    const slack = this.directory.identityOf(approverId);
    return isUserId(slack) ? slack : null;
  }

  /** Approver ids this Slack user acts as; empty when none (the click is then refused). */
  async resolve(userId: string): Promise<string[]> {
    const direct = this.directory.withIdentity(userId).map((a) => a.id);
    if (direct.length > 0) return direct;
    const out: string[] = [];
    if (this.directory.hasEmails()) {
      const email = await this.emailOf(userId);
      if (email) out.push(...this.directory.withEmail(email).map((a) => a.id));
    }
    for (const { approver, identity } of this.directory.identities()) {
      if (isUserGroup(identity) && !out.includes(approver.id) && (await this.membersOf(identity)).has(userId)) out.push(approver.id);
    }
    return out;
  }

  private async emailOf(userId: string): Promise<string | null> {
    const hit = this.emails.get(userId);
    if (hit && hit.until > this.now()) return hit.value;
    try {
      const res = await this.web.users.info({ user: userId });
      const email = res.user?.profile?.email?.toLowerCase() ?? null;
      this.emails.set(userId, { value: email, until: this.now() + this.ttlMs });
      return email;
    } catch (err) {
      this.logger.warn({ user: userId, err: (err as Error).message }, 'slack users.info failed; the click is treated as unmapped');
      return null;
    }
  }

  private async membersOf(group: string): Promise<ReadonlySet<string>> {
    const hit = this.groups.get(group);
    if (hit && hit.until > this.now()) return hit.value;
    try {
      const res = await this.web.usergroups.users.list({ usergroup: group });
      const members = new Set(res.users ?? []);
      this.groups.set(group, { value: members, until: this.now() + this.ttlMs });
      return members;
    } catch (err) {
      this.logger.warn({ usergroup: group, err: (err as Error).message }, 'slack usergroups.users.list failed');
      return new Set();
    }
  }
}
