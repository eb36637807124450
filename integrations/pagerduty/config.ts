/**
 * PagerDuty settings from the environment. All four of `PAGERDUTY_ROUTING_KEY`,
 * `PAGERDUTY_API_TOKEN`, `PAGERDUTY_WEBHOOK_SECRET` and `PAGERDUTY_FROM_EMAIL` turn the integration
 * on; none set → off; some set → a {@link PagerDutyError} naming what is missing (fail at start).
 */
import { readFileSync } from 'node:fs';
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
}

const REQUIRED = ['PAGERDUTY_ROUTING_KEY', 'PAGERDUTY_API_TOKEN', 'PAGERDUTY_WEBHOOK_SECRET', 'PAGERDUTY_FROM_EMAIL'] as const;
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

function host(env: Readonly<Record<string, string | undefined>>, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  if (!HOST.test(value)) throw new PagerDutyError(PagerDutyFinalCode.ConfigInvalid, `${name} must be host[:port] without a scheme, e.g. ${fallback}`);
  return value;
}

/** Null when no PagerDuty variable is set. @throws {PagerDutyError} `pagerduty-config-invalid`. */
export function readPagerDutyConfig(env: Readonly<Record<string, string | undefined>>): PagerDutyConfig | null {
  const set = REQUIRED.filter((name) => env[name]?.trim());
  if (set.length === 0) return null;
  const missing = REQUIRED.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new PagerDutyError(PagerDutyFinalCode.ConfigInvalid, `PagerDuty is half configured: set ${missing.join(', ')} (or unset ${set.join(', ')})`);
  }
  const caFile = env.PAGERDUTY_CA_FILE?.trim();
  let caPem: string | null = null;
  if (caFile) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new PagerDutyError(PagerDutyFinalCode.ConfigInvalid, `PAGERDUTY_CA_FILE ${caFile} cannot be read: ${(err as Error).message}`);
    }
  }
  return {
    routingKey: env.PAGERDUTY_ROUTING_KEY!.trim(),
    apiToken: env.PAGERDUTY_API_TOKEN!.trim(),
    webhookSecret: env.PAGERDUTY_WEBHOOK_SECRET!.trim(),
    fromEmail: env.PAGERDUTY_FROM_EMAIL!.trim(),
    eventsHost: host(env, 'PAGERDUTY_EVENTS_HOST', 'events.pagerduty.com'),
    apiHost: host(env, 'PAGERDUTY_API_HOST', 'api.pagerduty.com'),
    escalationRoutingKey: env.PAGERDUTY_ESCALATION_ROUTING_KEY?.trim() || null,
    caPem,
  };
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
