import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, interpolate } from '../../infra/config/index.js';
import { loadServiceConfig } from '../../server/index.js';
import { unloadedBindings } from '../../server/api.js';
import { captureLogger, ROOT, TEST_CONFIG } from '../api/harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-config-'));
  await mkdir(path.join(dir, 'policies'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problems(yaml: string | null, env: Record<string, string> = {}): Promise<string[]> {
  if (yaml !== null) await writeFile(path.join(dir, 'countersign.yaml'), yaml);
  try {
    loadServiceConfig({ cwd: dir, env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).format().split('\n');
  }
  throw new Error('expected a ConfigError');
}

const approver = (id: string, token: string) => `  - { id: ${id}, name: ${id}, tenants: [acme], token: ${token} }\n`;

describe('loadConfig', () => {
  it('loads the repository countersign.yaml with defaults', () => {
    const config = loadServiceConfig({ cwd: ROOT, env: {} });
    expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', namespace: 'default', logLevel: 'info', temporalAddress: undefined });
    expect(config.dataDir).toBe(path.join(ROOT, '.countersign'));
    expect(config.policyDir).toBe(path.join(ROOT, 'policies'));
    expect(config.agents.map((a) => a.id)).toEqual(['support-bot', 'soc-bot', 'infra-bot', 'sales-bot']);
    expect(config.agents[0]!.apiKey).toBe('demo-agent-key-support-0001');
    expect(config.groups['support-leads']).toEqual(['alice', 'bob']);
  });

  it('interpolates ${VAR} and ${VAR:-default} from the environment', async () => {
    await writeFile(path.join(dir, 'countersign.yaml'), TEST_CONFIG);
    const byDefault = loadServiceConfig({ cwd: dir, env: {} });
    expect(byDefault.agents.find((a) => a.id === 'infra-bot')!.apiKey).toBe('test-agent-key-infra-0000001');
    const fromEnv = loadServiceConfig({ cwd: dir, env: { INFRA_KEY: 'from-the-environment-123', COUNTERSIGN_PORT: '9000', TEMPORAL_ADDRESS: 'temporal:7233' } });
    expect(fromEnv.agents.find((a) => a.id === 'infra-bot')!.apiKey).toBe('from-the-environment-123');
    expect(fromEnv.port).toBe(9000);
    expect(fromEnv.temporalAddress).toBe('temporal:7233');
    expect(interpolate('a-${X}-$${Y}', { X: '1' })).toEqual({ value: 'a-1-${Y}', errors: [] });
  });

  it.each([
    ['COUNTERSIGN_PORT', 'abc', /^COUNTERSIGN_PORT: must be a port number.*"abc"/],
    ['COUNTERSIGN_PORT', '70000', /^COUNTERSIGN_PORT: must be a port number/],
    ['COUNTERSIGN_LOG_LEVEL', 'loud', /^COUNTERSIGN_LOG_LEVEL: must be one of fatal, error/],
    ['TEMPORAL_ADDRESS', 'http://x', /^TEMPORAL_ADDRESS: must be host:port/],
    ['COUNTERSIGN_CALLBACK_SECRET', 'short', /^COUNTERSIGN_CALLBACK_SECRET: must be at least 16 characters/],
    ['COUNTERSIGN_MAX_CACHED_WORKFLOWS', 'lots', /^COUNTERSIGN_MAX_CACHED_WORKFLOWS: must be a whole number.*"lots"/],
    ['COUNTERSIGN_MAX_CACHED_WORKFLOWS', '1', /^COUNTERSIGN_MAX_CACHED_WORKFLOWS: must be 0 \(cache off\) or at least 2/],
    ['TEMPORAL_TLS', 'yes', /^TEMPORAL_TLS: must be true or false \(got "yes"\)/],
    ['TEMPORAL_TLS_SERVER_NAME', 'https://x', /^TEMPORAL_TLS_SERVER_NAME: must be a host name/],
    ['TEMPORAL_TLS_CLIENT_CERT_PATH', '   ', /^TEMPORAL_TLS_CLIENT_CERT_PATH: must not be empty/],
    ['TEMPORAL_API_KEY', 'pasted api key with spaces', /^TEMPORAL_API_KEY: must be one token of printable characters/],
  ])('an invalid %s=%s names the variable and what to do', async (name, value, pattern) => {
    const lines = await problems(TEST_CONFIG, { [name]: value });
    expect(lines.some((l) => pattern.test(l)), lines.join('\n')).toBe(true);
    if (name.includes('SECRET') || name.includes('API_KEY')) expect(lines.join('\n')).not.toContain(value);
  });

  it('a missing config file or policy dir names its variable', async () => {
    const lines = await problems(null, { COUNTERSIGN_POLICY_DIR: 'nowhere' });
    expect(lines.some((l) => l.startsWith('COUNTERSIGN_CONFIG: ') && l.includes('does not exist'))).toBe(true);
    expect(lines.some((l) => l.startsWith('COUNTERSIGN_POLICY_DIR: ') && l.includes('not a directory'))).toBe(true);
  });

  it('an unset ${VAR} without default names VAR at file:line:col', async () => {
    const yaml = `agents:\n  - id: a\n    apiKey: \${AGENT_A_KEY}\n`;
    const lines = await problems(yaml);
    const file = path.join(dir, 'countersign.yaml');
    expect(lines).toContain(`${file}:3:13: agents[0].apiKey: environment variable AGENT_A_KEY is not set: set AGENT_A_KEY or write \${AGENT_A_KEY:-default}`);
  });

  it('schema problems carry file:line:col and the config path, never the secret', async () => {
    const yaml = `agents:\n  - id: a\n    apiKey: short-secret\n  - id: b\n    apiKey: long-enough-key-0001\n    colour: blue\napprovers:\n  - { id: x, token: tok-tok-tok-tok-1 }\n`;
    const lines = await problems(yaml);
    const file = path.join(dir, 'countersign.yaml');
    expect(lines).toContain(`${file}:3:13: agents[0].apiKey: an API key needs at least 16 characters`);
    expect(lines).toContain(`${file}:6:5: agents[1].colour: unknown key "colour": remove it or check its spelling`);
    expect(lines.find((l) => l.includes('approvers[0].name'))).toMatch(/:8:5: approvers\[0\]\.name: missing required field/);
    expect(lines.join('\n')).not.toContain('short-secret');
  });

  it('cross-checks: unknown group members, duplicate ids, keys shared with tokens', async () => {
    const yaml =
      `agents:\n  - { id: a, blueprints: [x], apiKey: shared-key-0000000001 }\n  - { id: a, blueprints: [x], apiKey: other-key-00000000001 }\n` +
      `approvers:\n${approver('alice', 'shared-key-0000000001')}${approver('alice', 'token-bob-00000000001')}` +
      `groups:\n  leads: [alice, mallory]\n`;
    const lines = await problems(yaml);
    const text = lines.join('\n');
    expect(text).toMatch(/:3:\d+: agents\[1\]\.id: duplicate agent id: agents\[0\]\.id already uses it/);
    expect(text).toMatch(/:6:\d+: approvers\[1\]\.id: duplicate approver id/);
    expect(text).toMatch(/:5:\d+: approvers\[0\]\.token: duplicate API key, approver or admin token: agents\[0\]\.apiKey already uses it/);
    expect(text).toMatch(/:8:\d+: groups\.leads\[1\]: group "leads" names unknown approver "mallory": add it under approvers/);
    expect(text).not.toContain('shared-key-0000000001');
  });

  it.each([
    {
      name: 'an agent without blueprints: is named, with what to add',
      yaml: 'agents:\n  - { id: support-bot, apiKey: long-enough-key-0001 }\n  - id: soc-bot\n    apiKey: long-enough-key-0002\n',
      lines: [
        ':2:5: agents[0].blueprints: agent support-bot is bound to no blueprint: add blueprints: [<the blueprints it may submit to>] (["*"] allows every one); agents start with nothing',
        ':3:5: agents[1].blueprints: agent soc-bot is bound to no blueprint: add blueprints: [<the blueprints it may submit to>] (["*"] allows every one); agents start with nothing',
      ],
    },
    {
      name: 'an approver without tenants: is named',
      yaml: 'approvers:\n  - { id: alice, name: Alice, token: long-enough-token-01 }\n',
      lines: [':2:5: approvers[0].tenants: approver alice belongs to no tenant: add tenants: [<the tenants whose requests they decide>] (["*"] for every one)'],
    },
    {
      name: 'an approver who decides nothing and audits nothing',
      yaml: 'approvers:\n  - { id: alice, name: Alice, tenants: [], token: long-enough-token-01 }\n',
      lines: [':2:40: approvers[0].tenants: an approver with tenants: [] decides nothing: name the tenants whose requests they decide, or add auditorOf: [<tenants>] for a read-only auditor'],
    },
    {
      name: '"*" beside names',
      yaml: 'agents:\n  - { id: a, apiKey: long-enough-key-0001, blueprints: ["*", customer-support] }\n',
      lines: [':2:56: agents[0].blueprints: "*" already means every one of the blueprints: list it alone'],
    },
    {
      name: 'an unknown role',
      yaml: 'agents:\n  - { id: a, apiKey: long-enough-key-0001, blueprints: [x], role: admin }\n',
      lines: [':2:67: agents[0].role: must be tenant-reader'],
    },
  ])('bindings: $name', async ({ yaml, lines }) => {
    const file = path.join(dir, 'countersign.yaml');
    expect(await problems(yaml)).toEqual(lines.map((l) => `${file}${l}`));
  });

  it.each([
    { name: 'every binding loaded', agents: [['a', ['x', 'y']]], loaded: ['x', 'y'], unloaded: [] },
    { name: 'the wildcard is never unloaded', agents: [['a', ['*']]], loaded: [], unloaded: [] },
    { name: 'one missing', agents: [['a', ['x']], ['b', ['x', 'z']]], loaded: ['x'], unloaded: [{ agent: 'b', blueprint: 'z' }] },
  ] as const)('unloadedBindings: $name', ({ agents, loaded, unloaded }) => {
    const list = agents.map(([id, blueprints]) => ({ id, tenant: 't', apiKey: 'k', blueprints }));
    expect(unloadedBindings(list, new Set(loaded))).toEqual(unloaded);
  });

  it('a YAML syntax error is positioned', async () => {
    const lines = await problems('agents:\n  - id: a\n   apiKey: [\n');
    expect(lines[0]).toMatch(/countersign\.yaml:\d+:\d+: YAML syntax: /);
  });

  it('the logger redacts keys, tokens, secrets and authorization headers', () => {
    const log = captureLogger('info');
    const config = loadServiceConfig({ cwd: ROOT, env: { COUNTERSIGN_CALLBACK_SECRET: 'callback-secret-0123456789' } });
    log.logger.info({ config }, 'config');
    log.logger.info({ agent: config.agents[0], req: { headers: { authorization: 'Bearer demo-agent-key-support-0001' } } }, 'req');
    log.logger.info({ approvers: config.approvers }, 'approvers');
    log.logger.flush();
    const text = log.text();
    expect(text).toContain('[redacted]');
    expect(text).toContain('support-bot');
    for (const secret of ['demo-agent-key-support-0001', 'demo-approver-token-alice-01', 'callback-secret-0123456789']) expect(text).not.toContain(secret);
  });
});

describe('console sign-in settings', () => {
  it.each<{ env: Record<string, string>; problem: string }>([
    { env: { COUNTERSIGN_OIDC_ISSUER: 'https://login.example.com/' }, problem: 'COUNTERSIGN_OIDC_CLIENT_ID: COUNTERSIGN_OIDC_ISSUER is set but not the client id: register Countersign with the provider and set COUNTERSIGN_OIDC_CLIENT_ID (and _CLIENT_SECRET)' },
    { env: { COUNTERSIGN_OIDC_CLIENT_ID: 'countersign' }, problem: 'COUNTERSIGN_OIDC_ISSUER: an OIDC client is configured but no issuer: set COUNTERSIGN_OIDC_ISSUER, or unset COUNTERSIGN_OIDC_CLIENT_ID and _CLIENT_SECRET' },
    { env: { COUNTERSIGN_OIDC_ISSUER: 'login.example.com' }, problem: 'COUNTERSIGN_OIDC_ISSUER: must be the issuer URL, e.g. https://login.example.com/ (got "login.example.com")' },
    { env: { COUNTERSIGN_SESSION_SECRET: 'short' }, problem: 'COUNTERSIGN_SESSION_SECRET: must be at least 32 characters: generate one with `openssl rand -hex 32`' },
  ])('$problem', async ({ env, problem }) => {
    const yaml = `agents: []\napprovers:\n${approver('alice', 'token-alice-0000000000000')}groups: {}\n`;
    expect(await problems(yaml, env)).toContain(problem);
  });

  it('reads the provider, the claim (email by default) and a label from the issuer host', () => {
    const config = loadServiceConfig({ cwd: ROOT, env: { COUNTERSIGN_OIDC_ISSUER: 'https://login.example.com/', COUNTERSIGN_OIDC_CLIENT_ID: 'countersign', COUNTERSIGN_OIDC_CLIENT_SECRET: 's' } });
    expect(config.oidc).toEqual({ issuer: 'https://login.example.com/', clientId: 'countersign', clientSecret: 's', claim: 'email', label: 'login.example.com' });
    expect(loadServiceConfig({ cwd: ROOT, env: {} }).oidc).toBeNull();
  });
});

describe('mcpServers', () => {
  const base = `agents: []\napprovers:\n${approver('alice', 'token-alice-0000000000000')}groups: {}\n`;
  it.each([
    { yaml: 'mcpServers:\n  fs:\n    blueprint: b\n', problem: /mcpServers\.fs: give exactly one of url \(a Streamable HTTP server\) and command \(a stdio server the service runs\)/ },
    { yaml: 'mcpServers:\n  fs:\n    blueprint: b\n    command: npx\n    url: http://x.example/mcp\n', problem: /mcpServers\.fs: give exactly one of url/ },
    { yaml: 'mcpServers:\n  "bad name":\n    blueprint: b\n    command: npx\n', problem: /an MCP server name is letters, digits, _ and -/ },
  ])('$problem', async ({ yaml, problem }) => {
    const lines = await problems(base + yaml);
    expect(lines.some((l) => problem.test(l)), lines.join('\n')).toBe(true);
  });

  it('reads a stdio and a URL server', async () => {
    await writeFile(path.join(dir, 'countersign.yaml'), `${base}mcpServers:\n  fs:\n    blueprint: b\n    command: npx\n    args: [a]\n  web:\n    blueprint: b\n    url: https://mcp.example.com/mcp\n`);
    expect(loadServiceConfig({ cwd: dir, env: {} }).mcpServers).toEqual({
      fs: { blueprint: 'b', command: 'npx', args: ['a'], env: {} },
      web: { blueprint: 'b', url: 'https://mcp.example.com/mcp', args: [], env: {} },
    });
  });
});
