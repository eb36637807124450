/**
 * The MCP gateway (`countersign mcp`) on the real API, worker and Temporal dev server, between
 * the official SDK's client and a real third-party MCP server from npm
 * (@modelcontextprotocol/server-filesystem on a temp dir): reads run at once, writes wait for a
 * person and then run with exactly the approved arguments, denials and expiries answer tool
 * errors the upstream never sees, and the proxy's start-up errors are one line and exit 1.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, KEYS, ROOT, startHarness, type Harness } from '../api/harness.js';

const FS_SERVER = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
const BIN = path.join(ROOT, 'bin', 'countersign.js');

/** The shipped example, with a 3 s SLA on create_directory so an expiry fits in a test. */
async function policy(): Promise<string> {
  const text = await readFile(path.join(ROOT, 'policies', 'examples', 'mcp-filesystem.yaml'), 'utf8');
  return text.replace(/(action: "mcp\.filesystem\.create_directory"\n\s+approval: support-leads\n\s+channel: web\n\s+sla: )30m/, '$13s');
}

let h: Harness;
let dir: string;
let mcp: Client;
let stderr = '';

beforeAll(async () => {
  h = await startHarness({ extraPolicies: { 'mcp-filesystem.yaml': await policy() } });
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-mcp-'));
  await writeFile(path.join(dir, 'hello.txt'), 'hello from the filesystem server\n');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--server-name', 'filesystem', '--blueprint', 'mcp-filesystem', '--', process.execPath, FS_SERVER, dir],
    env: { PATH: process.env.PATH ?? '', COUNTERSIGN_URL: h.url, COUNTERSIGN_API_KEY: KEYS.mcp },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  mcp = new Client({ name: 'test-host', version: '1.0.0' });
  await mcp.connect(transport);
}, 120_000);
afterAll(async () => {
  await mcp?.close();
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as { type: string; text: string }[]).map((c) => c.text).join('');

/** The pending approval of `action`, as alice lists it. */
const pendingOf = (action: string) =>
  eventually(async () => {
    const res = await h.call('GET', '/v1/approvals?status=pending', { token: KEYS.alice });
    return (res.body.approvals as { id: string; action: string }[]).find((a) => a.action === action);
  }, 15_000);

describe('the MCP gateway over stdio', () => {
  it('lists the upstream tools and runs a read-only call at once, as an auto-approved action', async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['read_text_file', 'write_file', 'create_directory']));
    const result = await mcp.callTool({ name: 'read_text_file', arguments: { path: path.join(dir, 'hello.txt') } });
    expect(result.isError ?? false).toBe(false);
    expect(text(result)).toBe('hello from the filesystem server\n');
    expect(stderr).toContain('countersign mcp: serving filesystem through blueprint mcp-filesystem');
  });

  it('holds a write until an approver approves it, then runs it with exactly the approved arguments', async () => {
    const target = path.join(dir, `approved-${randomUUID()}.txt`);
    const args = { path: target, content: 'written after approval' };
    const progress: string[] = [];
    const call = mcp.callTool({ name: 'write_file', arguments: args }, undefined, { onprogress: (p) => progress.push(p.message ?? ''), timeout: 60_000 });
    const pending = await pendingOf('mcp.filesystem.write_file');
    expect(existsSync(target)).toBe(false);
    const state = (await h.call('GET', `/v1/actions/${pending.id}`, { token: KEYS.alice })).body;
    expect(state.request).toMatchObject({ blueprint: 'mcp-filesystem', action: 'mcp.filesystem.write_file', params: args, agent: 'mcp-bot' });
    expect(state.request.context.mcp).toMatchObject({ server: 'filesystem', tool: 'write_file', readOnlyHint: false });
    expect((await h.call('POST', `/v1/actions/${pending.id}/decision`, { token: KEYS.alice, body: { decision: 'approve' } })).status).toBe(200);
    const result = await call;
    expect(result.isError ?? false).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('written after approval');
    expect(progress[0]).toMatch(new RegExp(`^waiting for approval by support-leads before .+ \\(Countersign request ${pending.id}\\)$`));
  });

  it('answers a denied write with a tool error naming the reason; the file is never written', async () => {
    const target = path.join(dir, `denied-${randomUUID()}.txt`);
    const call = mcp.callTool({ name: 'write_file', arguments: { path: target, content: 'never' } }, undefined, { timeout: 60_000 });
    const pending = await pendingOf('mcp.filesystem.write_file');
    await h.call('POST', `/v1/actions/${pending.id}/decision`, { token: KEYS.bob, body: { decision: 'deny', reason: 'not during the freeze' } });
    const result = await call;
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(`Countersign: denied: not during the freeze. (Countersign request ${pending.id})`);
    expect(existsSync(target)).toBe(false);
  });

  it('answers an expired approval with a tool error; the directory is never made', async () => {
    const target = path.join(dir, `expired-${randomUUID()}`);
    const result = await mcp.callTool({ name: 'create_directory', arguments: { path: target } }, undefined, { timeout: 60_000 });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Countersign: expired: no decision within the SLA of 3s\. \(Countersign request act_acme_[0-9a-f]{32}\)$/);
    expect(existsSync(target)).toBe(false);
  });

  it('a call the client cancels withdraws its approval; nothing is written', async () => {
    const target = path.join(dir, `cancelled-${randomUUID()}.txt`);
    const controller = new AbortController();
    const call = mcp.callTool({ name: 'write_file', arguments: { path: target, content: 'never' } }, undefined, { signal: controller.signal, timeout: 60_000 }).catch((e: Error) => e);
    const pending = await pendingOf('mcp.filesystem.write_file');
    controller.abort('the user pressed stop');
    expect(await call).toBeInstanceOf(Error);
    const state = await eventually(async () => {
      const s = (await h.call('GET', `/v1/actions/${pending.id}`, { token: KEYS.alice })).body;
      return s.status === 'withdrawn' ? s : null;
    });
    expect(state).toMatchObject({ withdrawnBy: 'mcp-bot', reason: 'the MCP client cancelled the tool call' });
    const late = await h.call('POST', `/v1/actions/${pending.id}/decision`, { token: KEYS.alice, body: { decision: 'approve' } });
    expect(late.status).toBe(409);
    expect(existsSync(target)).toBe(false);
  });

  it('denies a tool no rule grants without asking anyone', async () => {
    const result = await mcp.callTool({ name: 'move_fileX', arguments: {} }).catch((e: Error) => e);
    // An unknown tool has no annotations: the read-only rule cannot hold (fail closed), and the upstream never sees it.
    expect(result).not.toBeInstanceOf(Error);
    expect((result as Awaited<ReturnType<Client['callTool']>>).isError).toBe(true);
    expect(text(result as Awaited<ReturnType<Client['callTool']>>)).toMatch(
      /^Countersign: denied: no execute condition for mcp\.filesystem\.move_fileX holds; `context\.mcp\.readOnlyHint == true` could not be evaluated \(missing: context\.mcp\.readOnlyHint\)\. \(Countersign request act_acme_[0-9a-f]{32}\)$/,
    );
  });
});

/** Runs `countersign mcp …` and returns its exit code and stderr lines. */
function runProxy(env: Record<string, string>, args: string[]): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'mcp', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => {
      expect(out).toBe(''); // nothing but MCP on stdout, and here not even that
      resolve({ code, lines: err.trimEnd().split('\n') });
    });
  });
}

describe('the stdio proxy refuses to start, in one line', () => {
  const upstream = ['--', process.execPath, FS_SERVER, tmpdir()];
  it.each([
    {
      case: 'no Countersign at the URL',
      env: () => ({ COUNTERSIGN_URL: 'http://127.0.0.1:9', COUNTERSIGN_API_KEY: KEYS.mcp }),
      args: ['--server-name', 'filesystem', '--blueprint', 'mcp-filesystem', ...upstream],
      line: /^countersign mcp: cannot reach Countersign at http:\/\/127\.0\.0\.1:9 \(.+\): start it \(npx countersign start\) or set COUNTERSIGN_URL$/,
    },
    {
      case: 'a blueprint the key is not bound to',
      env: () => ({ COUNTERSIGN_URL: h.url, COUNTERSIGN_API_KEY: KEYS.mcp }),
      args: ['--server-name', 'filesystem', '--blueprint', 'customer-support', ...upstream],
      line: /^countersign mcp: agent mcp-bot is not bound to blueprint customer-support: it may submit to mcp-filesystem \(agents\[\]\.blueprints in countersign\.yaml\)$/,
    },
    {
      case: 'an unknown key',
      env: () => ({ COUNTERSIGN_URL: h.url, COUNTERSIGN_API_KEY: 'no-such-key-0000000000000' }),
      args: ['--server-name', 'filesystem', '--blueprint', 'mcp-filesystem', ...upstream],
      line: /^countersign mcp: COUNTERSIGN_API_KEY is not a key Countersign at http:\/\/127\.0\.0\.1:\d+ knows$/,
    },
    {
      case: 'no upstream command',
      env: () => ({ COUNTERSIGN_URL: h.url, COUNTERSIGN_API_KEY: KEYS.mcp }),
      args: ['--server-name', 'filesystem', '--blueprint', 'mcp-filesystem'],
      line: /^countersign mcp: name the upstream server's command after --/,
    },
  ])('$case', async ({ env, args, line }) => {
    const { code, lines } = await runProxy(env(), args);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(line);
  });
});
