/**
 * `countersign setup zendesk`: a signed webhook to `<public url>/webhooks/zendesk` connected to
 * triggers (`conditional_ticket_events`), two triggers, "Countersign: approve" and "Countersign:
 * deny", that fire when an agent adds the tag `countersign_approve` / `countersign_deny`, call the
 * webhook with {@link triggerBody} and remove the tag again, and the two macros the ticket text
 * promises, "Approve (Countersign)" and "Deny (Countersign)", which add the tag and open an
 * internal note for the reason. Idempotent: webhooks are matched by endpoint, triggers and macros
 * by exact title; only missing ones are made.
 */
import type { ZendeskClient } from './client.js';
import { ZendeskTag } from './ticket.js';

export const WEBHOOK_NAME = 'Countersign decisions';
export const TRIGGER_TITLES = { approve: 'Countersign: approve', deny: 'Countersign: deny' } as const;
export const MACRO_TITLES = { approve: 'Approve (Countersign)', deny: 'Deny (Countersign)' } as const;

/** What each macro writes as the internal note; the agent completes the deny reason before submitting. */
const MACRO_NOTES = { approve: 'Approved in Countersign.', deny: 'Denied in Countersign because: ' } as const;

/** The webhook body a trigger sends: placeholders whose values cannot break the JSON. */
export function triggerBody(decision: 'approve' | 'deny'): string {
  return JSON.stringify({ ticket_id: '{{ticket.id}}', external_id: '{{ticket.external_id}}', decision, actor_email: '{{current_user.email}}' });
}

type Client = Pick<ZendeskClient, 'request'>;
interface Webhook {
  id: string;
  endpoint?: string;
}
interface Trigger {
  id: number;
  title?: string;
}

/** Returns the lines to print. */
export async function setupZendesk(client: Client, url: string): Promise<string[]> {
  const lines: string[] = [];
  const hooks = await client.request<{ webhooks?: Webhook[] }>('GET', `/api/v2/webhooks?filter[name_contains]=${encodeURIComponent('Countersign')}&page[size]=100`);
  let hook = hooks?.webhooks?.find((w) => w.endpoint === url);
  if (hook) lines.push(`webhook ${hook.id} → ${url} already exists`);
  else {
    hook = (
      await client.request<{ webhook: Webhook }>('POST', '/api/v2/webhooks', {
        webhook: { name: WEBHOOK_NAME, endpoint: url, http_method: 'POST', request_format: 'json', status: 'active', subscriptions: ['conditional_ticket_events'] },
      })
    ).webhook;
    lines.push(`created webhook ${hook.id} → ${url}`);
    const secret = await client.request<{ signing_secret?: { secret?: string } }>('GET', `/api/v2/webhooks/${hook.id}/signing_secret`);
    if (secret?.signing_secret?.secret) lines.push(`set ZENDESK_WEBHOOK_SECRET=${secret.signing_secret.secret}`);
  }

  const existing = await listTriggers(client);
  for (const decision of ['approve', 'deny'] as const) {
    const title = TRIGGER_TITLES[decision];
    const found = existing.find((t) => t.title === title);
    if (found) {
      lines.push(`trigger ${found.id} "${title}" already exists`);
      continue;
    }
    const tag = decision === 'approve' ? ZendeskTag.Approve : ZendeskTag.Deny;
    const created = await client.request<{ trigger: Trigger }>('POST', '/api/v2/triggers.json', {
      trigger: {
        title,
        description: `Sends a Countersign ${decision} when an agent adds the tag ${tag}.`,
        conditions: {
          all: [
            { field: 'update_type', value: 'Change' },
            { field: 'current_tags', operator: 'includes', value: tag },
            { field: 'current_tags', operator: 'includes', value: ZendeskTag.Marker },
            { field: 'role', operator: 'is_not', value: 'end_user' },
          ],
        },
        actions: [
          { field: 'notification_webhook', value: [hook.id, triggerBody(decision)] },
          { field: 'remove_tags', value: tag },
        ],
      },
    });
    lines.push(`created trigger ${created.trigger.id} "${title}" (tag ${tag})`);
  }

  const macros = await client.request<{ macros?: { id: number; title?: string }[] }>('GET', `/api/v2/macros/search?query=${encodeURIComponent('(Countersign)')}`);
  for (const decision of ['approve', 'deny'] as const) {
    const title = MACRO_TITLES[decision];
    const found = (macros?.macros ?? []).find((m) => m.title === title);
    if (found) {
      lines.push(`macro ${found.id} "${title}" already exists`);
      continue;
    }
    const tag = decision === 'approve' ? ZendeskTag.Approve : ZendeskTag.Deny;
    const created = await client.request<{ macro: { id: number } }>('POST', '/api/v2/macros', {
      macro: {
        title,
        active: true,
        description: `Adds the tag ${tag} (the "${TRIGGER_TITLES[decision]}" trigger sends it to Countersign) and an internal note${decision === 'deny' ? ' for the reason' : ''}.`,
        actions: [
          { field: 'current_tags', value: tag },
          { field: 'comment_mode_is_public', value: 'false' },
          { field: 'comment_value', value: MACRO_NOTES[decision] },
        ],
      },
    });
    lines.push(`created macro ${created.macro.id} "${title}" (tag ${tag})`);
  }
  return lines;
}

async function listTriggers(client: Client): Promise<Trigger[]> {
  const all: Trigger[] = [];
  let path: string | null = '/api/v2/triggers.json?per_page=100';
  for (let i = 0; path && i < 50; i++) {
    const page: { triggers?: Trigger[]; next_page?: string | null } = await client.request('GET', path);
    all.push(...(page?.triggers ?? []));
    path = page?.next_page ? new URL(page.next_page).pathname + new URL(page.next_page).search : null;
  }
  return all;
}
