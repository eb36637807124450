/**
 * The service's MCP endpoint (`/mcp/<name>`, Streamable HTTP) on the real service and dev server:
 * the official SDK's Streamable HTTP client with an agent key as bearer token, in front of
 * @modelcontextprotocol/server-filesystem that the service starts per session. The same
 * decisions as over stdio; no key, a wrong key, an unbound agent or another agent's session are refused.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, ROOT, TEST_CONFIG } from '../api/harness.js';
import { eventually } from '../support/eventually.js';
import { startTestService, type TestService } from '../support/service.js';

const FS_SERVER = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/dist/index.js');

let svc: TestService;
let dir: string;
let mcp: Client;

const connect = async (key: string | null): Promise<Client> => {
  const client = new Client({ name: 'test-host', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${svc.url}/mcp/filesystem`), key ? { requestInit: { headers: { authorization: `Bearer ${key}` } } } : {}));
  return client;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-mcp-http-'));
  await writeFile(path.join(dir, 'hello.txt'), 'hello over http\n');
  const config = `${TEST_CONFIG}\nmcpServers:\n  filesystem:\n    blueprint: mcp-filesystem\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(FS_SERVER)}, ${JSON.stringify(dir)}]\n`;
  svc = await startTestService({
    config,
    callbackSecret: 'test-callback-secret-0000000001',
    extraPolicies: { 'mcp-filesystem.yaml': await readFile(path.join(ROOT, 'policies', 'examples', 'mcp-filesystem.yaml'), 'utf8') },
    integrations: () => [],
  });
  mcp = await connect(KEYS.mcp);
}, 120_000);
afterAll(async () => {
  await mcp?.close();
  await svc?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const api = async (method: string, p: string, key: string, body?: unknown) => {
  const res = await fetch(`${svc.url}${p}`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as any };
};
const pendingOf = (action: string) =>
  eventually(async () => ((await api('GET', '/v1/approvals?status=pending', KEYS.alice)).body.approvals as { id: string; action: string }[]).find((a) => a.action === action), 15_000);
const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as { text: string }[]).map((c) => c.text).join('');

describe('the MCP endpoint over Streamable HTTP', () => {
  it('runs a read-only call at once', async () => {
    const result = await mcp.callTool({ name: 'read_text_file', arguments: { path: path.join(dir, 'hello.txt') } });
    expect(result.isError ?? false).toBe(false);
    expect(text(result)).toBe('hello over http\n');
  });

  it('holds a write until it is approved, then writes exactly what was approved', async () => {
    const target = path.join(dir, `approved-${randomUUID()}.txt`);
    const call = mcp.callTool({ name: 'write_file', arguments: { path: target, content: 'approved over http' } }, undefined, { timeout: 60_000 });
    const pending = await pendingOf('mcp.filesystem.write_file');
    expect(existsSync(target)).toBe(false);
    expect((await api('POST', `/v1/actions/${pending.id}/decision`, KEYS.alice, { decision: 'approve' })).status).toBe(200);
    expect((await call).isError ?? false).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('approved over http');
  });

  it('answers a denied write with the reason; nothing is written', async () => {
    const target = path.join(dir, `denied-${randomUUID()}.txt`);
    const call = mcp.callTool({ name: 'write_file', arguments: { path: target, content: 'never' } }, undefined, { timeout: 60_000 });
    const pending = await pendingOf('mcp.filesystem.write_file');
    await api('POST', `/v1/actions/${pending.id}/decision`, KEYS.bob, { decision: 'deny', reason: 'wrong folder' });
    const result = await call;
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(`Countersign: denied: wrong folder. (Countersign request ${pending.id})`);
    expect(existsSync(target)).toBe(false);
  });

  it('withdraws a call the client cancels', async () => {
    const controller = new AbortController();
    const call = mcp.callTool({ name: 'write_file', arguments: { path: path.join(dir, 'cancelled.txt'), content: 'x' } }, undefined, { signal: controller.signal, timeout: 60_000 }).catch((e: Error) => e);
    const pending = await pendingOf('mcp.filesystem.write_file');
    controller.abort('stop');
    expect(await call).toBeInstanceOf(Error);
    await eventually(async () => (await api('GET', `/v1/actions/${pending.id}`, KEYS.alice)).body.status === 'withdrawn');
  });

  it.each([
    { who: 'no key', key: null, status: 401 },
    { who: 'a wrong key', key: 'not-a-key-anyone-has-00000', status: 401 },
    { who: 'an approver token', key: KEYS.alice, status: 401 },
    { who: 'an agent not bound to the blueprint', key: KEYS.support, status: 403 },
  ])('$who is refused ($status)', async ({ key, status }) => {
    const res = await fetch(`${svc.url}/mcp/filesystem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    });
    expect(res.status).toBe(status);
    if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer realm="countersign", error="invalid_token"');
    await expect(connect(key).then(() => 'connected')).rejects.toThrow();
  });

  it("another agent cannot use an agent's session", async () => {
    const sessionId = (mcp.transport as StreamableHTTPClientTransport).sessionId!;
    const res = await fetch(`${svc.url}/mcp/filesystem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${KEYS.other}`, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
    });
    expect(res.status).toBe(404);
  });
});
