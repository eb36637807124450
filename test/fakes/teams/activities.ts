/** Inbound Teams activities, as Teams posts them to the bot's messaging endpoint. */
import { randomUUID } from 'node:crypto';

export const TEAM_CHANNEL = '19:approvals@thread.tacv2';
const BOT = { id: '28:countersign-bot', name: 'Countersign' };

const base = (serviceUrl: string, aad: string) => ({
  id: randomUUID(),
  timestamp: new Date().toISOString(),
  channelId: 'msteams',
  serviceUrl,
  from: { id: `29:${aad}`, aadObjectId: aad, name: aad },
  recipient: BOT,
  channelData: { tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2' }, channel: { id: TEAM_CHANNEL }, teamsChannelId: TEAM_CHANNEL },
});

/** `@Countersign link <group>` in the team channel (a new thread). */
export function linkMessage(serviceUrl: string, aad: string, group: string): Record<string, unknown> {
  const b = base(serviceUrl, aad);
  return {
    ...b,
    type: 'message',
    text: `<at>Countersign</at> link ${group}`,
    entities: [{ type: 'mention', mentioned: BOT, text: '<at>Countersign</at>' }],
    conversation: { id: `${TEAM_CHANNEL};messageid=${b.id}`, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
  };
}

/** The `adaptiveCard/action` invoke Teams sends when a user clicks an Action.Execute. */
export function cardAction(serviceUrl: string, aad: string, conversationId: string, activityId: string, verb: string, data: Record<string, unknown>): Record<string, unknown> {
  return {
    ...base(serviceUrl, aad),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: activityId,
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** POSTs an activity to `<base>/api/messages` (no Authorization: insecure test mode). */
export async function postActivity(baseUrl: string, activity: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // empty
  }
  return { status: res.status, body };
}
