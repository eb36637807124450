/**
 * Who answered, as an approver: each channel maps the person its vendor names (a Slack user, an
 * Entra object id, a PagerDuty user, a Zendesk agent's email) to approver ids through the
 * approvers' `identities` for that channel and their email. A person who maps to nobody is sent
 * to the workflow as `<channel>:<who>`, so the workflow refuses the attempt and records it.
 */
import type { Approver, ChannelName } from '../../core/index.js';

export class ApproverDirectory {
  constructor(
    private readonly approvers: readonly Approver[],
    /** Whose identities this directory reads: `slack`, `teams`, … */
    readonly channel: ChannelName,
  ) {}

  /** Approvers whose identity in this channel is `value` (case-insensitive when asked: emails). */
  withIdentity(value: string, options: { caseInsensitive?: boolean } = {}): Approver[] {
    const want = options.caseInsensitive ? value.toLowerCase() : value;
    return this.approvers.filter((a) => {
      const id = a.identities[this.channel];
      return id !== undefined && (options.caseInsensitive ? id.toLowerCase() : id) === want;
    });
  }

  /** Approvers whose configured email is `email` (case-insensitive). */
  withEmail(email: string): Approver[] {
    const want = email.toLowerCase();
    return this.approvers.filter((a) => a.email?.toLowerCase() === want);
  }

  /** The identity an approver has in this channel (to mention them), if configured. */
  identityOf(approverId: string): string | undefined {
    return this.approvers.find((a) => a.id === approverId)?.identities[this.channel];
  }

  /** Every approver with an identity in this channel, with that identity. */
  identities(): { approver: Approver; identity: string }[] {
    return this.approvers.flatMap((approver) => {
      const identity = approver.identities[this.channel];
      return identity === undefined ? [] : [{ approver, identity }];
    });
  }

  /** Whether any approver has an email (when none has, an email lookup can be skipped). */
  hasEmails(): boolean {
    return this.approvers.some((a) => a.email);
  }

  /** The approver id an unmapped person's attempt is recorded under: `slack:U123`, at most 200 characters. */
  unmapped(who: string): string {
    return `${this.channel}:${who}`.slice(0, 200);
  }
}
