/**
 * Who acted in PagerDuty → which Countersign approver. An approver's `pagerduty` config field is
 * either the PagerDuty user id (`PABC123`, matched without any API call) or an email; otherwise
 * the user is fetched (`GET /users/{id}`) and their email is matched against `pagerduty` emails,
 * then `email`, case-insensitively. Look-ups are cached for 10 minutes.
 */
import type { Approver } from '../../core/index.js';
import type { PagerDutyClient } from './client.js';

const TTL_MS = 10 * 60 * 1000;

export type Resolved = { approverId: string } | { approverId: null; label: string };

export class PagerDutyIdentities {
  private readonly cache = new Map<string, { email: string | null; at: number }>();

  constructor(
    private readonly approvers: readonly Approver[],
    private readonly client: Pick<PagerDutyClient, 'rest'>,
  ) {}

  /** The approver for PagerDuty user `userId`, or null with a label for the refusal record. */
  async resolve(userId: string): Promise<Resolved> {
    const byId = this.approvers.find((a) => a.identities.pagerduty === userId);
    if (byId) return { approverId: byId.id };
    const email = await this.emailOf(userId);
    if (email) {
      const lower = email.toLowerCase();
      const match =
        this.approvers.find((a) => a.identities.pagerduty?.toLowerCase() === lower) ?? this.approvers.find((a) => a.email?.toLowerCase() === lower);
      if (match) return { approverId: match.id };
    }
    return { approverId: null, label: `pagerduty:${userId}${email ? `<${email}>` : ''}`.slice(0, 200) };
  }

  private async emailOf(userId: string): Promise<string | null> {
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.email;
    type UserBody = { user?: { email?: string } };
    const body = await this.client.rest<UserBody>('GET', `users/${encodeURIComponent(userId)}`).catch((err: { status?: number }): UserBody => {
      if (err.status === 404) return {};
      throw err;
    });
    const email = typeof body?.user?.email === 'string' ? body.user.email : null;
    this.cache.set(userId, { email, at: Date.now() });
    return email;
  }
}
