/**
 * PagerDuty settings from the environment. All four of `PAGERDUTY_ROUTING_KEY`,
 * `PAGERDUTY_API_TOKEN`, `PAGERDUTY_WEBHOOK_SECRET` and `PAGERDUTY_FROM_EMAIL` turn the integration
 * on; none set → off; some set → a {@link PagerDutyError} naming what is missing (fail at start).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { areSet, describeProblems, readEnv, requireSet } from '../../kit/index.js';
import { PagerDutyError, PagerDutyFinalCode } from './errors.js';

export interface PagerDutyConfig {
  /** Events API v2 integration key of the service approvals page. */
  routingKey: string;
  /** REST API token (account or user token) for notes, incident and user look-ups. */
  apiToken: string;
  /** Webhooks v3 subscription secret (`X-PagerDuty-Signature`). */
  webhookSecret: string;
  /** `From` header of REST writes: the email of a PagerDuty user. */
  fromEmail: string;
  /** Events API host[:port]; `events.pagerduty.com` (EU: `events.eu.pagerduty.com`). */
  eventsHost: string;
  /** REST API host[:port]; `api.pagerduty.com` (EU: `api.eu.pagerduty.com`). */
  apiHost: string;
  /** Integration key paged when an approval escalates; null = add a note instead. */
  escalationRoutingKey: string | null;
  /** Extra trusted CA certificates (PEM) for the two hosts, e.g. a TLS-inspecting proxy. */
  caPem: string | null;
  /**
   * `off` (default): an incident note never decides — PagerDuty cannot show that a person wrote it
   * (any general-access REST key writes notes as anyone); it is recorded as refused. `trusted`:
   * the strict note grammar decides (see note.ts), for operators who trust every key holder.
   */
  noteDecisions: 'off' | 'trusted';
}

const REQUIRED = ['PAGERDUTY_ROUTING_KEY', 'PAGERDUTY_API_TOKEN', 'PAGERDUTY_WEBHOOK_SECRET', 'PAGERDUTY_FROM_EMAIL'] as const;
const OPTIONAL = ['PAGERDUTY_EVENTS_HOST', 'PAGERDUTY_API_HOST', 'PAGERDUTY_ESCALATION_ROUTING_KEY', 'PAGERDUTY_CA_FILE', 'PAGERDUTY_NOTE_DECISIONS'] as const;

const host = (fallback: string) => z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, `must be host[:port] without a scheme, e.g. ${fallback}`).default(fallback);

const caFile = z.string().transform((file, ctx) => {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${file} cannot be read: ${(err as Error).message}` });
    return z.NEVER;
  }
});

const schema = (present: readonly string[]) =>
  z
    .object({
      PAGERDUTY_ROUTING_KEY: z.string().optional(),
      PAGERDUTY_API_TOKEN: z.string().optional(),
      PAGERDUTY_WEBHOOK_SECRET: z.string().optional(),
      PAGERDUTY_FROM_EMAIL: z.string().optional(),
      PAGERDUTY_EVENTS_HOST: host('events.pagerduty.com'),
      PAGERDUTY_API_HOST: host('api.pagerduty.com'),
      PAGERDUTY_ESCALATION_ROUTING_KEY: z.string().optional(),
      PAGERDUTY_CA_FILE: caFile.optional(),
      PAGERDUTY_NOTE_DECISIONS: z.enum(['off', 'trusted'], { error: 'must be off (the default) or trusted' }).default('off'),
    })
    .superRefine((v, ctx) => {
      for (const name of REQUIRED) if (!v[name]) requireSet(ctx, name, `${areSet(present)}: PagerDuty needs all of ${REQUIRED.join(', ')} (or none)`);
    })
    .transform(
      (v): PagerDutyConfig => ({
        routingKey: v.PAGERDUTY_ROUTING_KEY!,
        apiToken: v.PAGERDUTY_API_TOKEN!,
        webhookSecret: v.PAGERDUTY_WEBHOOK_SECRET!,
        fromEmail: v.PAGERDUTY_FROM_EMAIL!,
        eventsHost: v.PAGERDUTY_EVENTS_HOST,
        apiHost: v.PAGERDUTY_API_HOST,
        escalationRoutingKey: v.PAGERDUTY_ESCALATION_ROUTING_KEY ?? null,
        caPem: v.PAGERDUTY_CA_FILE ?? null,
        noteDecisions: v.PAGERDUTY_NOTE_DECISIONS,
      }),
    );

const fail = (problems: Parameters<typeof describeProblems>[0]) => new PagerDutyError(PagerDutyFinalCode.ConfigInvalid, describeProblems(problems));

/** Null when none of the four required PagerDuty variables is set. @throws {PagerDutyError} `pagerduty-config-invalid`. */
export function readPagerDutyConfig(env: Readonly<Record<string, string | undefined>>): PagerDutyConfig | null {
  return readEnv(env, { variables: [...REQUIRED, ...OPTIONAL], switches: REQUIRED, schema, fail });
}

/**
 * What `countersign setup pagerduty` needs: only PAGERDUTY_API_TOKEN (plus the optional host and CA
 * variables). The other fields are blank. @throws {PagerDutyError} when the token is missing.
 */
export function readPagerDutyAdminConfig(env: Readonly<Record<string, string | undefined>>): PagerDutyConfig {
  const apiToken = env.PAGERDUTY_API_TOKEN?.trim();
  if (!apiToken) throw new PagerDutyError(PagerDutyFinalCode.ConfigInvalid, 'set PAGERDUTY_API_TOKEN (a REST API token allowed to manage webhook subscriptions)');
  const filled = { ...env, PAGERDUTY_ROUTING_KEY: '-', PAGERDUTY_WEBHOOK_SECRET: '-', PAGERDUTY_FROM_EMAIL: '-', PAGERDUTY_API_TOKEN: apiToken };
  return readPagerDutyConfig(filled)!;
}
