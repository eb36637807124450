/**
 * `countersign setup pagerduty`: makes sure one Webhooks v3 subscription delivers the events
 * Countersign needs to `<public url>/webhooks/pagerduty`. Idempotent: lists the subscriptions
 * first, creates one only when none points at the URL, and adds missing event types to an
 * existing one. PagerDuty shows a subscription's signing secret only in the create answer, so
 * that is the one run that prints it.
 */
import type { PagerDutyClient } from './client.js';

/** Only note events decide; nothing else is subscribed. */
export const PAGERDUTY_WEBHOOK_EVENTS = ['incident.annotated'] as const;

interface Subscription {
  id: string;
  events?: string[];
  delivery_method?: { url?: string; secret?: string | null };
}

export interface PagerDutySetupOptions {
  /** Where PagerDuty should deliver: `<COUNTERSIGN_PUBLIC_URL>/webhooks/pagerduty`. */
  url: string;
  /** Limit deliveries to one service's incidents (`service_reference`); default the whole account. */
  serviceId?: string;
}

/** Returns the lines to print. */
export async function setupPagerDuty(client: Pick<PagerDutyClient, 'rest'>, options: PagerDutySetupOptions): Promise<string[]> {
  const existing = await findSubscription(client, options.url);
  if (existing) {
    const missing = PAGERDUTY_WEBHOOK_EVENTS.filter((e) => !existing.events?.includes(e));
    if (missing.length === 0) return [`webhook subscription ${existing.id} → ${options.url} already exists (events: ${existing.events?.join(', ')}); nothing to do`];
    const events = [...(existing.events ?? []), ...missing];
    await client.rest('PUT', `webhook_subscriptions/${existing.id}`, { data: { webhook_subscription: { events } } });
    return [`webhook subscription ${existing.id} → ${options.url}: added events ${missing.join(', ')}`];
  }
  const filter = options.serviceId ? { type: 'service_reference', id: options.serviceId } : { type: 'account_reference' };
  const created = await client.rest<{ webhook_subscription?: Subscription }>('POST', 'webhook_subscriptions', {
    data: {
      webhook_subscription: {
        type: 'webhook_subscription',
        description: 'Countersign approvals: incident notes "approve" / "deny: <reason>"',
        delivery_method: { type: 'http_delivery_method', url: options.url },
        events: [...PAGERDUTY_WEBHOOK_EVENTS],
        filter,
      },
    },
  });
  const sub = created?.webhook_subscription;
  const lines = [`created webhook subscription ${sub?.id ?? '(no id returned)'} → ${options.url} (events: ${PAGERDUTY_WEBHOOK_EVENTS.join(', ')}; filter: ${filter.type})`];
  const secret = sub?.delivery_method?.secret;
  if (secret) lines.push(`set PAGERDUTY_WEBHOOK_SECRET=${secret}   (PagerDuty shows this secret only once)`);
  return lines;
}

async function findSubscription(client: Pick<PagerDutyClient, 'rest'>, url: string): Promise<Subscription | null> {
  for (let offset = 0; offset < 10_000; offset += 100) {
    const page = await client.rest<{ webhook_subscriptions?: Subscription[]; more?: boolean }>('GET', 'webhook_subscriptions', {
      query: { limit: '100', offset: String(offset) },
    });
    const hit = page?.webhook_subscriptions?.find((s) => s.delivery_method?.url === url);
    if (hit) return hit;
    if (!page?.more) return null;
  }
  return null;
}
