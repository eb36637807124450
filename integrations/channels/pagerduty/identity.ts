/**
 * Who acted in PagerDuty → which Countersign approver. An approver's `pagerduty` identity is either
 * the PagerDuty user id (`PABC123`, matched without any API call) or an email; otherwise the user
 * is fetched (`GET /users/{id}`) and their email is matched against `pagerduty` emails, then
 * `email`, case-insensitively. Look-ups are cached for 10 minutes. Nobody matched: the attempt is
 * recorded as `pagerduty:<user id><email>`, which the workflow refuses.
 */
import type { Approver } from '../../../core/index.js';
import { ApproverDirectory } from '../../kit/index.js';
import type { PagerDutyClient } from './client.js';

const TTL_MS = 10 * 60 * 1000;

export class PagerDutyIdentities {
  private readonly cache = new Map<string, { email: string | null; at: number }>();
  private readonly directory: ApproverDirectory;

  constructor(
    approvers: readonly Approver[],
    private readonly client: Pick<PagerDutyClient, 'rest'>,
  ) {
    this.directory = new ApproverDirectory(approvers, 'pagerduty');
  }

  /** The approver id PagerDuty user `userId` answers as (an unmapped label when nobody matches). */
  async resolve(userId: string): Promise<string> {
    const byId = this.directory.withIdentity(userId)[0];
    if (byId) return byId.id;
    const email = await this.emailOf(userId);
    if (email) {
      const match = this.directory.withIdentity(email, { caseInsensitive: true })[0] ?? this.directory.withEmail(email)[0];
      if (match) return match.id;
    }
    return this.directory.unmapped(`${userId}${email ? `<${email}>` : ''}`);
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
