/**
 * Click-to-verdict latency: a signed Slack Approve click arriving at /slack/events until the
 * verdict reaches the sandbox callback, beside the built-in channel (`POST /v1/actions/:id/decision`)
 * measured the same way in the same run, interleaved. Real service (startService), embedded Temporal
 * dev server, real Bolt against the loopback fake Slack, all on 127.0.0.1.
 *
 *   node --import tsx bench/click/run.ts            # BENCH_N=60 samples per peer, 5 warm-up
 */
import { randomUUID } from 'node:crypto';
import { createSlackIntegration, readSlackConfig, SlackIds } from '../../integrations/channels/slack/index.js';
import { startCountersign, TOKENS, until } from '../../test/support/chat-service.js';
import { FakeSlack } from '../../test/fakes/slack/server.js';
import { blockActions, postSigned, signPayload } from '../../test/fakes/slack/signed.js';

const N = Number(process.env.BENCH_N ?? 60);
const WARMUP = 5;
const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

const slack = await new FakeSlack({ token: TOKEN }).start();
const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_CHANNEL: 'CBENCH', SLACK_POST_INTERVAL_MS: '0' };
process.stderr.write('starting Countersign with an embedded Temporal dev server…\n');
const cs = await startCountersign({ taskQueue: `bench-click-${randomUUID()}`, integrations: (ctx) => [createSlackIntegration({ ...ctx, env }, readSlackConfig(env)!)] });

async function pending(): Promise<{ id: string; ts: string; value: string }> {
  const res = await cs.submit({ action: 'refund', params: { amount: 75, order: randomUUID() } });
  const id = res.body.id as string;
  const card = await until(() => [...slack.messages.values()].find((m) => JSON.stringify(m.blocks).includes(id)), 60_000, 'card');
  // Wait until the workflow recorded the post, so both peers decide from the same state.
  await until(async () => ((await cs.service.client.workflow.getHandle(id).query('state')) as { channel?: string | null }).channel, 60_000, 'posted');
  const actions = (card.blocks as { type: string; elements?: { value: string }[] }[]).find((b) => b.type === 'actions')!;
  return { id, ts: card.ts as string, value: actions.elements![0]!.value };
}

async function viaSlack(): Promise<number> {
  const c = await pending();
  const req = signPayload(SECRET, blockActions({ user: 'UALICE', actionId: SlackIds.approve, value: c.value, channel: 'CBENCH', ts: c.ts, responseUrl: `${slack.url}/response/bench` }));
  const t0 = performance.now();
  const res = await postSigned(cs.url, req);
  if (res.status !== 200) throw new Error(`click answered ${res.status}`);
  await cs.callbacks.next(c.id);
  return cs.callbacks.verdicts.find((v) => v.payload.id === c.id)!.at - t0;
}

async function viaApi(): Promise<number> {
  const c = await pending();
  const t0 = performance.now();
  const res = await fetch(`${cs.url}/v1/actions/${c.id}/decision`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.alice}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'approve' }),
  });
  if (res.status !== 200) throw new Error(`decision answered ${res.status}`);
  await cs.callbacks.next(c.id);
  return cs.callbacks.verdicts.find((v) => v.payload.id === c.id)!.at - t0;
}

const slackMs: number[] = [];
const apiMs: number[] = [];
try {
  for (let i = 0; i < WARMUP; i++) {
    await viaSlack();
    await viaApi();
  }
  for (let i = 0; i < N; i++) {
    // interleave, alternating which goes first
    if (i % 2 === 0) {
      slackMs.push(await viaSlack());
      apiMs.push(await viaApi());
    } else {
      apiMs.push(await viaApi());
      slackMs.push(await viaSlack());
    }
  }
} finally {
  await cs.close();
  await slack.close();
}

const f = (x: number) => x.toFixed(1).padStart(7);
const line = (name: string, xs: number[]) => console.log(`${name.padEnd(34)} n=${xs.length}  p50 ${f(pct(xs, 50))} ms  p99 ${f(pct(xs, 99))} ms  max ${f(Math.max(...xs))} ms`);
console.log('click → verdict delivered at the callback (loopback)');
line('slack signed click (/slack/events)', slackMs);
line('built-in (POST /v1/…/decision)', apiMs);
const r50 = pct(slackMs, 50) / pct(apiMs, 50);
const r99 = pct(slackMs, 99) / pct(apiMs, 99);
console.log(`ratio slack/built-in p50: ${r50.toFixed(2)}x   p99: ${r99.toFixed(2)}x   (target ≤ 1.50x)`);
console.log(`slack p99 ≤ 250 ms: ${pct(slackMs, 99) <= 250 ? 'yes' : 'NO'}   p99 ratio ≤ 1.5x: ${r99 <= 1.5 ? 'yes' : 'NO'}`);
process.exit(0);
