/**
 * `countersign setup pagerduty|zendesk`: creates, through the vendor's API, what delivers approver
 * answers to Countersign (PagerDuty: a Webhooks v3 subscription; Zendesk: a signed webhook and the
 * approve/deny triggers) and prints what it created. Safe to re-run: existing pieces are kept.
 * Exit codes: 0 done, 2 bad usage or configuration, 1 the vendor API failed.
 */
import type { Command } from '../io.js';

const HELP = `usage: countersign setup pagerduty [--url URL] [--service PAGERDUTY_SERVICE_ID]
       countersign setup zendesk [--url URL]

--url defaults to $COUNTERSIGN_PUBLIC_URL/webhooks/<vendor>.
pagerduty needs PAGERDUTY_API_TOKEN (PAGERDUTY_API_HOST / PAGERDUTY_CA_FILE optional); without
--service the subscription covers the whole account.
zendesk needs ZENDESK_SUBDOMAIN or ZENDESK_URL, ZENDESK_EMAIL and ZENDESK_API_TOKEN.`;

export const setup: Command = async (args, io) => {
  const [vendor, ...rest] = args;
  if (vendor === undefined || vendor === '--help' || vendor === '-h') {
    io.stdout(HELP);
    return vendor === undefined ? 2 : 0;
  }
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const value = rest[i + 1];
    if ((flag !== '--url' && flag !== '--service') || value === undefined || (flag === '--service' && vendor !== 'pagerduty')) {
      io.stderr(`countersign setup: unexpected ${flag}\n${HELP}`);
      return 2;
    }
    flags[flag.slice(2)] = value;
    i++;
  }
  if (vendor !== 'pagerduty' && vendor !== 'zendesk') {
    io.stderr(`countersign setup: unknown vendor ${vendor}\n${HELP}`);
    return 2;
  }
  const base = io.env.COUNTERSIGN_PUBLIC_URL?.trim().replace(/\/+$/, '');
  const url = flags.url ?? (base ? `${base}/webhooks/${vendor}` : undefined);
  if (!url || !/^https?:\/\//.test(url)) {
    io.stderr(`countersign setup ${vendor}: give --url https://… or set COUNTERSIGN_PUBLIC_URL (the address ${vendor} can reach)`);
    return 2;
  }
  let lines: string[];
  try {
    lines = vendor === 'pagerduty' ? await setupPagerDutyFromEnv(io.env, url, flags.service) : await setupZendeskFromEnv(io.env, url);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    io.stderr(`countersign setup ${vendor}: ${(err as Error).message}`);
    return code.endsWith('config-invalid') ? 2 : 1;
  }
  for (const line of lines) io.stdout(line);
  return 0;
};

async function setupPagerDutyFromEnv(env: Readonly<Record<string, string | undefined>>, url: string, serviceId?: string): Promise<string[]> {
  const { PagerDutyClient, readPagerDutyAdminConfig, setupPagerDuty } = await import('../../integrations/channels/pagerduty/admin.js');
  const client = new PagerDutyClient(readPagerDutyAdminConfig(env));
  try {
    return await setupPagerDuty(client, { url, ...(serviceId ? { serviceId } : {}) });
  } finally {
    client.close();
  }
}

async function setupZendeskFromEnv(env: Readonly<Record<string, string | undefined>>, url: string): Promise<string[]> {
  const { ZendeskClient, readZendeskConfig, setupZendesk, ZendeskError, ZendeskFinalCode } = await import('../../integrations/channels/zendesk/index.js');
  const config = readZendeskConfig(env, { webhook: false });
  if (!config) throw new ZendeskError(ZendeskFinalCode.ConfigInvalid, 'set ZENDESK_SUBDOMAIN (or ZENDESK_URL), ZENDESK_EMAIL and ZENDESK_API_TOKEN');
  return setupZendesk(new ZendeskClient(config), url);
}
