/**
 * Zendesk settings from the environment: `ZENDESK_SUBDOMAIN` (→ https://<sub>.zendesk.com) or
 * `ZENDESK_URL`, plus `ZENDESK_EMAIL`, `ZENDESK_API_TOKEN` and `ZENDESK_WEBHOOK_SECRET`. None set →
 * off; some set → a {@link ZendeskError} naming what is missing.
 */
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

type Env = Readonly<Record<string, string | undefined>>;
const NAMES = ['ZENDESK_SUBDOMAIN', 'ZENDESK_URL', 'ZENDESK_EMAIL', 'ZENDESK_API_TOKEN', 'ZENDESK_WEBHOOK_SECRET'];

function baseUrl(env: Env): string | null {
  const url = env.ZENDESK_URL?.trim();
  if (url) {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) throw new ZendeskError(ZendeskFinalCode.ConfigInvalid, 'ZENDESK_URL must be a base URL such as https://acme.zendesk.com');
    return url.replace(/\/+$/, '');
  }
  const sub = env.ZENDESK_SUBDOMAIN?.trim();
  if (!sub) return null;
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(sub)) throw new ZendeskError(ZendeskFinalCode.ConfigInvalid, 'ZENDESK_SUBDOMAIN must be the account name, e.g. acme for acme.zendesk.com');
  return `https://${sub}.zendesk.com`;
}

/** Null when no Zendesk variable is set. `webhook: false` skips the secret (for `countersign setup`). */
export function readZendeskConfig(env: Env, options: { webhook?: boolean } = {}): ZendeskConfig | null {
  if (!NAMES.some((n) => env[n]?.trim())) return null;
  const url = baseUrl(env);
  const missing = [
    ...(url ? [] : ['ZENDESK_SUBDOMAIN or ZENDESK_URL']),
    ...['ZENDESK_EMAIL', 'ZENDESK_API_TOKEN', ...(options.webhook === false ? [] : ['ZENDESK_WEBHOOK_SECRET'])].filter((n) => !env[n]?.trim()),
  ];
  if (missing.length > 0) throw new ZendeskError(ZendeskFinalCode.ConfigInvalid, `Zendesk is half configured: set ${missing.join(', ')}`);
  const group = env.ZENDESK_GROUP_ID?.trim();
  if (group && !/^\d+$/.test(group)) throw new ZendeskError(ZendeskFinalCode.ConfigInvalid, 'ZENDESK_GROUP_ID must be a numeric group id');
  return {
    baseUrl: url!,
    email: env.ZENDESK_EMAIL!.trim(),
    apiToken: env.ZENDESK_API_TOKEN!.trim(),
    webhookSecret: env.ZENDESK_WEBHOOK_SECRET?.trim() ?? '',
    groupId: group ? Number(group) : null,
  };
}
