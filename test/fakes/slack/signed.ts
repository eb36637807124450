/**
 * Real signed Slack interactivity requests, as Slack sends them: `application/x-www-form-urlencoded`
 * `payload=<json>`, `X-Slack-Request-Timestamp` and `X-Slack-Signature: v0=HMAC-SHA256(secret,
 * "v0:{ts}:{raw body}")`.
 */
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, ts: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Form-encodes `payload` and signs it at `ts` (unix seconds, default now). */
export function signPayload(secret: string, payload: unknown, ts = Math.floor(Date.now() / 1000)): SignedRequest {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(secret, ts, body) },
  };
}

/** POSTs a signed request to `<base>/slack/events`. */
export async function postSigned(base: string, req: SignedRequest): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: req.headers, body: req.body });
  return { status: res.status, text: await res.text() };
}

let seq = 0;

/** A `block_actions` payload for one button of a posted card. */
export function blockActions(o: { user: string; actionId: string; value: string; channel: string; ts: string; responseUrl: string; comment?: string }): Record<string, unknown> {
  seq += 1;
  return {
    type: 'block_actions',
    team: { id: 'T1', domain: 'acme' },
    user: { id: o.user, username: o.user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    trigger_id: `trigger-${seq}`,
    container: { type: 'message', message_ts: o.ts, channel_id: o.channel, is_ephemeral: false },
    channel: { id: o.channel, name: 'approvals' },
    message: { type: 'message', ts: o.ts, text: 'card' },
    response_url: o.responseUrl,
    state: { values: o.comment !== undefined ? { countersign_comment: { countersign_comment: { type: 'plain_text_input', value: o.comment } } } : {} },
    actions: [{ type: 'button', action_id: o.actionId, block_id: 'countersign_actions', value: o.value, action_ts: `${Date.now() / 1000}` }],
  };
}

/** A `view_submission` payload for the Deny modal the app opened. */
export function viewSubmission(o: { user: string; view: Record<string, any>; reason: string | null }): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'acme' },
    user: { id: o.user, username: o.user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    trigger_id: `trigger-view-${++seq}`,
    view: {
      ...o.view,
      id: 'V1',
      team_id: 'T1',
      state: { values: { countersign_reason: { countersign_reason: { type: 'plain_text_input', value: o.reason } } } },
    },
    response_urls: [],
  };
}
