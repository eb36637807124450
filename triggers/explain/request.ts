/**
 * What `policy explain --action` and policy test cases accept as a request, and `--at`/`at:` times.
 */
import { z } from 'zod';
import type { ActionRequest } from '../../core/index.js';

/** The agent id a request gets when it names none. */
export const DEFAULT_AGENT = 'cli';

const record = z.record(z.string(), z.unknown());

/** `{action, resource?, params?, context?, agent?}`; unknown keys are rejected so typos (`parms`) show. */
export const RequestSchema = z.strictObject({
  action: z.string().min(1, 'action must be a non-empty string'),
  resource: z.string().optional(),
  params: record.optional(),
  context: record.optional(),
  agent: z.string().min(1).optional(),
  tenant: z.string().optional(),
  idempotencyKey: z.string().optional(),
});
export type RequestInput = z.infer<typeof RequestSchema>;

export const REQUEST_KEYS = Object.keys(RequestSchema.shape);

/** Fills in the defaults: `agent: cli`. */
export function toActionRequest(input: RequestInput): ActionRequest {
  const req: ActionRequest = { action: input.action, agent: input.agent ?? DEFAULT_AGENT };
  if (input.resource !== undefined) req.resource = input.resource;
  if (input.params !== undefined) req.params = input.params;
  if (input.context !== undefined) req.context = input.context;
  if (input.tenant !== undefined) req.tenant = input.tenant;
  if (input.idempotencyKey !== undefined) req.idempotencyKey = input.idempotencyKey;
  return req;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an ISO-8601 instant: `2026-11-24T10:00:00Z`, `2026-11-24T11:00+01:00`, or a date alone
 * (`2026-11-24`, midnight UTC). A date-time must state its zone, so a policy test means the same
 * instant on every machine.
 * @returns epoch milliseconds, or an error message.
 */
export function parseInstant(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const m = ISO.exec(text.trim());
  const bad = (why: string): { ok: false; message: string } => ({ ok: false, message: `"${text}" is not an ISO-8601 time: ${why}` });
  if (!m) return bad('expected e.g. 2026-11-24T10:00:00Z');
  const [, y, mo, d, h, mi, s, zone] = m;
  if (h !== undefined && zone === undefined) return bad('add a zone, e.g. Z for UTC or +01:00');
  if (Number(mo) < 1 || Number(mo) > 12) return bad(`month ${mo} does not exist`);
  const daysInMonth = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  if (Number(d) < 1 || Number(d) > daysInMonth) return bad(`day ${d} does not exist in ${y}-${mo}`);
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) return bad('time of day out of range');
  const normalized = h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : text.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  if (!Number.isFinite(ms)) return bad('expected e.g. 2026-11-24T10:00:00Z');
  return { ok: true, ms };
}
