/**
 * Bearer credentials: agent API keys, approver tokens and admin tokens from the service config,
 * kept as SHA-256 digests (the config may hold only the digest). Every lookup compares the
 * presented key's digest against every known one in constant time, so neither timing nor early
 * exit reveals how much of a key matched. A key past its `expires` is refused with a message that
 * says so.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Admin, Agent, Approver, Credential } from '../core/index.js';
import { ApiError, ErrorCode, unauthorized } from './errors.js';

export type Principal =
  | { kind: 'agent'; id: string; tenant: string; agent: Agent }
  | { kind: 'approver'; id: string; approver: Approver }
  /** An operator of the kill switch: `/v1/admin/*` only; reads and decides nothing. */
  | { kind: 'admin'; id: string };

interface Entry {
  digest: Buffer;
  expiresAt: number | null;
  principal: Principal;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** The credentials of an entry: those the config listed, or the one key it holds. */
export function credentialsOf(holder: { credentials?: readonly Credential[] | undefined }, key: string | undefined): readonly Credential[] {
  if (holder.credentials && holder.credentials.length > 0) return holder.credentials;
  return key === undefined ? [] : [{ sha256: digest(key).toString('hex'), expiresAt: null }];
}

/** What a presented key is: a principal, a key that expired (and when), or nothing known. */
export type Identified = { principal: Principal; expiredAt: null } | { principal: null; expiredAt: number } | null;

export class Authenticator {
  private readonly entries: Entry[];

  constructor(
    agents: readonly Agent[],
    approvers: readonly Approver[],
    admins: readonly Admin[] = [],
    private readonly now: () => number = Date.now,
  ) {
    const entries = (credentials: readonly Credential[], principal: Principal): Entry[] =>
      credentials.map((c) => ({ digest: Buffer.from(c.sha256, 'hex'), expiresAt: c.expiresAt, principal }));
    this.entries = [
      ...admins.flatMap((admin) => entries(credentialsOf({}, admin.token), { kind: 'admin', id: admin.id })),
      ...agents.flatMap((agent) => entries(credentialsOf(agent, agent.apiKey), { kind: 'agent', id: agent.id, tenant: agent.tenant, agent })),
      ...approvers.flatMap((approver) => entries(credentialsOf(approver, approver.token), { kind: 'approver', id: approver.id, approver })),
    ];
  }

  /** What the `Authorization` header's key is (every entry is compared, in constant time each). */
  lookup(header: string | undefined): Identified {
    if (!header) return null;
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match) return null;
    const presented = digest(match[1]!);
    let found: Entry | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented) && found === null) found = entry;
    }
    if (!found) return null;
    if (found.expiresAt !== null && found.expiresAt <= this.now()) return { principal: null, expiredAt: found.expiresAt };
    return { principal: found.principal, expiredAt: null };
  }

  /** The principal of an `Authorization` header value, or null (unknown or expired). */
  identify(header: string | undefined): Principal | null {
    return this.lookup(header)?.principal ?? null;
  }

  /** @throws {ApiError} 401 when the header carries no known credential, or one that expired (saying so). */
  require(header: string | undefined): Principal {
    const found = this.lookup(header);
    if (found?.principal) return found.principal;
    if (found) throw new ApiError(401, ErrorCode.Unauthorized, `this key expired at ${new Date(found.expiredAt).toISOString()}: use the key that replaced it`);
    throw unauthorized();
  }
}
