/**
 * Zendesk settings from the environment: `ZENDESK_SUBDOMAIN` (→ https://<sub>.zendesk.com) or
 * `ZENDESK_URL`, plus `ZENDESK_EMAIL`, `ZENDESK_API_TOKEN` and `ZENDESK_WEBHOOK_SECRET`. None set →
 * off; some set → a {@link ZendeskError} naming what is missing.
 */
import { z } from 'zod';
import { areSet, describeProblems, readEnv, requireSet } from '../../kit/index.js';
import { ZendeskError, ZendeskFinalCode } from './errors.js';

export interface ZendeskConfig {
  /** `https://acme.zendesk.com`, no trailing slash. */
  baseUrl: string;
  email: string;
  apiToken: string;
  /** The signing secret of the Countersign webhook. */
  webhookSecret: string;
  /** Optional group new tickets are assigned to (`ZENDESK_GROUP_ID`). */
  groupId: number | null;
}

const SWITCHES = ['ZENDESK_SUBDOMAIN', 'ZENDESK_URL', 'ZENDESK_EMAIL', 'ZENDESK_API_TOKEN', 'ZENDESK_WEBHOOK_SECRET'];

const schema = (webhook: boolean) => (present: readonly string[]) =>
  z
    .object({
      ZENDESK_URL: z.string().regex(/^https?:\/\/[^/\s]+\/?$/, 'must be a base URL such as https://acme.zendesk.com').optional(),
      ZENDESK_SUBDOMAIN: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'must be the account name, e.g. acme for acme.zendesk.com').optional(),
      ZENDESK_EMAIL: z.string().optional(),
      ZENDESK_API_TOKEN: z.string().optional(),
      ZENDESK_WEBHOOK_SECRET: z.string().optional(),
      ZENDESK_GROUP_ID: z.string().regex(/^\d+$/, 'must be a numeric group id').transform(Number).optional(),
    })
    .superRefine((v, ctx) => {
      const why = `${areSet(present)}: Zendesk is half configured`;
      if (!v.ZENDESK_URL && !v.ZENDESK_SUBDOMAIN) requireSet(ctx, 'ZENDESK_SUBDOMAIN', `${why} (set it, or ZENDESK_URL)`);
      const required = ['ZENDESK_EMAIL', 'ZENDESK_API_TOKEN', ...(webhook ? (['ZENDESK_WEBHOOK_SECRET'] as const) : [])] as const;
      for (const name of required) if (!v[name]) requireSet(ctx, name, why);
    })
    .transform(
      (v): ZendeskConfig => ({
        baseUrl: v.ZENDESK_URL ? v.ZENDESK_URL.replace(/\/+$/, '') : `https://${v.ZENDESK_SUBDOMAIN}.zendesk.com`,
        email: v.ZENDESK_EMAIL!,
        apiToken: v.ZENDESK_API_TOKEN!,
        webhookSecret: v.ZENDESK_WEBHOOK_SECRET ?? '',
        groupId: v.ZENDESK_GROUP_ID ?? null,
      }),
    );

/** Null when no Zendesk variable is set. `webhook: false` skips the secret (for `countersign setup`). */
export function readZendeskConfig(env: Readonly<Record<string, string | undefined>>, options: { webhook?: boolean } = {}): ZendeskConfig | null {
  return readEnv(env, {
    variables: [...SWITCHES, 'ZENDESK_GROUP_ID'],
    switches: SWITCHES,
    schema: schema(options.webhook !== false),
    fail: (problems) => new ZendeskError(ZendeskFinalCode.ConfigInvalid, describeProblems(problems)),
  });
}
