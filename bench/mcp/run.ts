/**
 * MCP gateway benchmark: auto-approved tool calls through `countersign mcp` beside the same SDK
 * client calling the same upstream server directly, in the SAME run, plus the HTTP submission the
 * gateway makes for each call measured alone.
 *
 *   direct:     SDK client ──stdio──▶ @modelcontextprotocol/server-filesystem (read_text_file)
 *   gateway:    SDK client ──stdio──▶ countersign mcp ──HTTP──▶ Countersign (policy, workflow start)
 *                                                   └─stdio──▶ the same server
 *   submission: POST /v1/actions for the same action (what the gateway adds, at most)
 *
 * Latency: one call in flight, the three interleaved in blocks; p50/p99. Throughput: closed loop
 * with CONCURRENCY calls in flight on one session for WINDOW_MS, direct and gateway alternating
 * twice. Targets: added p50 (gateway − direct) ≤ submission p50 + 2 ms; gateway throughput ≥ 70 %
 * of direct. Nothing is asserted.
 *
 *   node --import tsx bench/mcp/run.ts      (BENCH_SAMPLES, BENCH_CONCURRENCY, BENCH_WINDOW_MS)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { freePort } from '../../infra/temporal/index.js';
import { callJson } from '../lib/http.js';
import { baseEnv, ROOT, serviceEnv, spawnService, writeServiceFixture } from '../lib/service.js';
import { machine, ms, percentile } from '../lib/stats.js';
import { benchDevServer } from '../lib/temporal.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 8_000);
const BLOCK = 25;
const AGENT_KEY = 'bench-agent-key-mcp-000000001';
const FS_SERVER = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/dist/index.js');

const CONFIG = `agents:
  - { id: bench-agent, tenant: bench, blueprints: [bench-mcp], apiKey: ${AGENT_KEY} }
approvers:
  - { id: ann, name: Ann, tenants: [bench], token: bench-approver-token-ann-001 }
groups:
  reviewers: [ann]
`;
const POLICY = `blueprint: bench-mcp
security:
  permissions:
    execute:
      - action: "mcp.filesystem.*"
        condition: "context.mcp.readOnlyHint == true"
        approval: auto
`;

const dir = await mkdtemp(path.join(tmpdir(), 'countersign-bench-mcp-'));
const files = path.join(dir, 'files');
await (await import('node:fs/promises')).mkdir(files);
const target = path.join(files, 'hello.txt');
await writeFile(target, 'hello\n');
const temporal = await benchDevServer(path.join(dir, 'temporal.db'));
const fixture = await writeServiceFixture(dir, CONFIG, { 'bench-mcp.yaml': POLICY });
const apiPort = await freePort();
const env = serviceEnv(fixture, { temporalAddress: temporal.address, port: apiPort, logLevel: 'error' });
const worker = spawnService('worker', env, path.join(dir, 'worker.log'));
const api = spawnService('api', env, path.join(dir, 'api.log'));
await Promise.all([worker.ready, api.ready]);
const base = `http://127.0.0.1:${apiPort}`;

const connect = async (command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Client> => {
  const client = new Client({ name: 'bench-host', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command, args, env: { ...baseEnv(), ...extraEnv }, stderr: 'ignore', cwd: ROOT }));
  return client;
};
const direct = await connect(process.execPath, [FS_SERVER, files]);
const gateway = await connect(
  process.execPath,
  ['--import', 'tsx', path.join(ROOT, 'bench', 'lib', 'countersign.ts'), 'mcp', '--server-name', 'filesystem', '--blueprint', 'bench-mcp', '--', process.execPath, FS_SERVER, files],
  { COUNTERSIGN_URL: base, COUNTERSIGN_API_KEY: AGENT_KEY },
);

const call = async (client: Client): Promise<void> => {
  const result = await client.callTool({ name: 'read_text_file', arguments: { path: target } });
  if (result.isError) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
};
let seq = 0;
const submit = async (): Promise<void> => {
  const res = await callJson(base, 'POST', '/v1/actions', AGENT_KEY, {
    blueprint: 'bench-mcp',
    action: 'mcp.filesystem.read_text_file',
    params: { path: target },
    context: { mcp: { server: 'filesystem', tool: 'read_text_file', readOnlyHint: true } },
    idempotencyKey: `bench-${process.pid}-${seq++}`,
  });
  if (res.status !== 201 || res.body?.status !== 'approved') throw new Error(`unexpected answer ${res.status} ${JSON.stringify(res.body)}`);
};
const timed = async (fn: () => Promise<void>): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
async function closedLoop(fn: () => Promise<void>): Promise<number> {
  const end = performance.now() + WINDOW_MS;
  const start = performance.now();
  let done = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      await fn();
      done++;
    }
  }));
  return done / ((performance.now() - start) / 1000);
}

try {
  for (let i = 0; i < 40; i++) {
    await call(direct);
    await call(gateway);
    await submit();
  }
  const lat = { direct: [] as number[], gateway: [] as number[], submission: [] as number[] };
  for (let done = 0; done < SAMPLES; done += BLOCK) {
    for (let i = 0; i < BLOCK; i++) lat.direct.push(await timed(() => call(direct)));
    for (let i = 0; i < BLOCK; i++) lat.gateway.push(await timed(() => call(gateway)));
    for (let i = 0; i < BLOCK; i++) lat.submission.push(await timed(submit));
  }
  const tput = { direct: 0, gateway: 0 };
  for (let round = 0; round < 2; round++) {
    tput.direct += (await closedLoop(() => call(direct))) / 2;
    tput.gateway += (await closedLoop(() => call(gateway))) / 2;
  }
  const p = (xs: number[], q: number) => percentile(xs, q);
  const added50 = p(lat.gateway, 50) - p(lat.direct, 50);
  const added99 = p(lat.gateway, 99) - p(lat.direct, 99);
  console.log([
    `bench/mcp on ${machine()}; Temporal dev server (SQLite file), api+worker as child processes; upstream @modelcontextprotocol/server-filesystem read_text_file`,
    `latency (1 in flight, ${lat.direct.length} each): direct p50 ${ms(p(lat.direct, 50))} p99 ${ms(p(lat.direct, 99))}; gateway p50 ${ms(p(lat.gateway, 50))} p99 ${ms(p(lat.gateway, 99))}; submission alone p50 ${ms(p(lat.submission, 50))} p99 ${ms(p(lat.submission, 99))}`,
    `added by the gateway: p50 ${ms(added50)}, p99 ${ms(added99)}; over the submission's own p50: ${ms(added50 - p(lat.submission, 50))} (target ≤ 2 ms)`,
    `throughput (${CONCURRENCY} in flight, 2×${WINDOW_MS / 1000}s): direct ${tput.direct.toFixed(1)}/s, gateway ${tput.gateway.toFixed(1)}/s`,
    `ratio throughput gateway/direct: ${((100 * tput.gateway) / tput.direct).toFixed(1)} % (target ≥ 70 %)`,
    `ratio p50 latency gateway/direct: ${(p(lat.gateway, 50) / p(lat.direct, 50)).toFixed(1)}×`,
  ].join('\n'));
} finally {
  await Promise.allSettled([direct.close(), gateway.close()]);
  await Promise.all([worker.stop(), api.stop()]);
  await temporal.stop();
  await rm(dir, { recursive: true, force: true });
}
