/** Where one request stands, as the API, the cards and the sandbox see it. */

/** Pending, or one of the terminal states. */
export const Status = {
  Pending: 'pending',
  Approved: 'approved',
  Denied: 'denied',
  /** The SLA ran out: an automatic deny, counted apart from human denies. */
  Expired: 'expired',
  /** A rate limit or cooldown holds; the agent may retry after `retryAfter`. */
  Blocked: 'blocked',
  /** The agent that asked took the request back before anyone decided (an MCP client cancelled): nothing runs. */
  Withdrawn: 'withdrawn',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

export const TERMINAL_STATUSES: readonly Status[] = ['approved', 'denied', 'expired', 'blocked', 'withdrawn'];

/** True once nobody can decide any more. */
export const isTerminal = (status: Status): boolean => status !== 'pending';

/** What the sandbox must do with the action. Only `approved` executes. */
export const SandboxVerdict = { Execute: 'execute', Block: 'block' } as const;
export type SandboxVerdict = (typeof SandboxVerdict)[keyof typeof SandboxVerdict];
