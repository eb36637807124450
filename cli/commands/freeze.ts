/**
 * The kill switch from a terminal, over a running Countersign's admin API (`COUNTERSIGN_URL`,
 * default http://127.0.0.1:8787, and `COUNTERSIGN_ADMIN_TOKEN`, an `admins:` token):
 *
 *   countersign freeze agent|blueprint|tenant <name> --reason <why> [--deny-pending]
 *   countersign unfreeze agent|blueprint|tenant <name>
 *   countersign freezes
 *
 * Exit 0 on success, 1 when Countersign refuses or cannot be reached, 2 for bad usage.
 */
import type { Command } from '../io.js';

export const FREEZE_USAGE = `usage: countersign freeze agent|blueprint|tenant <name> --reason <why> [--deny-pending]
       countersign unfreeze agent|blueprint|tenant <name>
       countersign freezes
  environment: COUNTERSIGN_URL (default http://127.0.0.1:8787), COUNTERSIGN_ADMIN_TOKEN (an admins: token)`;

const SCOPES = new Set(['agent', 'blueprint', 'tenant']);

interface FreezeView {
  scope: string;
  value: string;
  reason: string;
  by: string;
  at: number;
}

const line = (f: FreezeView) => `${f.scope} ${f.value}: frozen by ${f.by} at ${new Date(f.at).toISOString()}: ${f.reason}`;

/** `freeze`, `unfreeze` or `freezes`, as `verb`. */
export function freezeCommand(verb: 'freeze' | 'unfreeze' | 'freezes'): Command {
  return async (args, io) => {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(FREEZE_USAGE);
      return 0;
    }
    const usage = (why: string) => {
      io.stderr(`countersign ${verb}: ${why}\n${FREEZE_USAGE}`);
      return 2;
    };
    const token = io.env.COUNTERSIGN_ADMIN_TOKEN;
    if (!token) {
      io.stderr(`countersign ${verb}: COUNTERSIGN_ADMIN_TOKEN is not set: set it to an admin token (admins: in countersign.yaml)`);
      return 1;
    }
    const base = (io.env.COUNTERSIGN_URL || 'http://127.0.0.1:8787').replace(/\/+$/, '');
    let method = 'GET';
    let path = '/v1/admin/freezes';
    let body: unknown;
    if (verb !== 'freezes') {
      const [scope, value, ...rest] = args;
      if (!scope || !SCOPES.has(scope)) return usage('name what to freeze: agent, blueprint or tenant');
      if (!value || value.startsWith('-')) return usage(`name the ${scope}`);
      if (verb === 'unfreeze') {
        if (rest.length > 0) return usage(`unexpected ${rest[0]}`);
        method = 'DELETE';
        path = `/v1/admin/freezes/${scope}/${encodeURIComponent(value)}`;
      } else {
        let reason: string | undefined;
        let denyPending = false;
        for (let i = 0; i < rest.length; i++) {
          if (rest[i] === '--reason') reason = rest[++i];
          else if (rest[i] === '--deny-pending') denyPending = true;
          else return usage(`unknown option ${rest[i]}`);
        }
        if (!reason) return usage('--reason is required: the agents, the audit log and the console show it');
        method = 'POST';
        body = { scope, value, reason, denyPending };
      }
    } else if (args.length > 0) return usage(`unexpected ${args[0]}`);

    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      io.stderr(`countersign ${verb}: cannot reach Countersign at ${base} (${(error as Error).message})`);
      return 1;
    }
    const answer = (await res.json().catch(() => ({}))) as { freezes?: FreezeView[]; denied?: string[]; error?: { message: string } };
    if (!res.ok) {
      io.stderr(`countersign ${verb}: ${answer.error?.message ?? `HTTP ${res.status}`}`);
      return 1;
    }
    const freezes = answer.freezes ?? [];
    if (verb === 'freeze') io.stdout(`frozen: ${args[0]} ${args[1]}${answer.denied && answer.denied.length > 0 ? `; ${answer.denied.length} pending request(s) denied` : ''}`);
    if (verb === 'unfreeze') io.stdout(`unfrozen: ${args[0]} ${args[1]}`);
    if (verb === 'freezes') io.stdout(freezes.length === 0 ? 'nothing is frozen' : freezes.map(line).join('\n'));
    return 0;
  };
}

export const freeze = freezeCommand('freeze');
export const unfreeze = freezeCommand('unfreeze');
export const freezes = freezeCommand('freezes');
