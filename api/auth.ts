/**
 * Bearer credentials: agent API keys and approver tokens from the service config. Every lookup
 * compares the presented value against every known credential with a constant-time compare of
 * SHA-256 digests, so neither timing nor early exit reveals how much of a key matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Admin, Agent, Approver } from '../core/index.js';
import { unauthorized } from './errors.js';

export type Principal =
  | { kind: 'agent'; id: string; tenant: string; agent: Agent }
  | { kind: 'approver'; id: string; approver: Approver }
  /** An operator of the kill switch: `/v1/admin/*` only; reads and decides nothing. */
  | { kind: 'admin'; id: string };

interface Entry {
  digest: Buffer;
  principal: Principal;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export class Authenticator {
  private readonly entries: Entry[];

  constructor(agents: readonly Agent[], approvers: readonly Approver[], admins: readonly Admin[] = []) {
    this.entries = [
      ...admins.map((admin) => ({ digest: digest(admin.token), principal: { kind: 'admin', id: admin.id } as const })),
      ...agents.map((agent) => ({ digest: digest(agent.apiKey), principal: { kind: 'agent', id: agent.id, tenant: agent.tenant, agent } as const })),
      ...approvers.map((approver) => ({ digest: digest(approver.token), principal: { kind: 'approver', id: approver.id, approver } as const })),
    ];
  }

  /** The principal of an `Authorization` header value, or null. */
  identify(header: string | undefined): Principal | null {
    if (!header) return null;
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match) return null;
    const presented = digest(match[1]!);
    let found: Principal | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented) && found === null) found = entry.principal;
    }
    return found;
  }

  /** @throws {ApiError} 401 when the header carries no known credential. */
  require(header: string | undefined): Principal {
    const principal = this.identify(header);
    if (!principal) throw unauthorized();
    return principal;
  }
}
