/**
 * Keys as the config may hold them: only a SHA-256 digest, several per agent (a rotation's
 * overlap), with an expiry after which the key is refused saying so. Table-driven through the
 * real config loader and the Authenticator; `countersign keys new` prints a key and its digest.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../api/auth.js';
import { ApiError } from '../../api/errors.js';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';
import { loadServiceConfig } from '../../server/index.js';

const sha = (k: string) => createHash('sha256').update(k, 'utf8').digest('hex');
const OLD = 'old-key-of-the-support-bot-0001';
const NEW = 'new-key-of-the-support-bot-0001';
const DIGEST_ONLY = 'digest-only-key-of-the-soc-bot-01';
const ALICE = 'alice-token-held-only-as-digest-1';
const NOW = Date.parse('2027-01-15T12:00:00Z');

let dir: string;
let auth: Authenticator;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-keys-'));
  await mkdir(path.join(dir, 'policies'));
  await writeFile(
    path.join(dir, 'countersign.yaml'),
    `agents:
  - id: support-bot
    tenant: acme
    blueprints: [customer-support]
    apiKeys:
      - { key: ${OLD}, expires: 2027-01-01 }
      - { sha256: ${sha(NEW)}, expires: "2027-06-30T00:00:00Z" }
  - { id: soc-bot, tenant: acme, blueprints: [security-ops], apiKeySha256: ${sha(DIGEST_ONLY)} }
approvers:
  - { id: alice, name: Alice, tenants: [acme], tokenSha256: ${sha(ALICE)} }
groups: {}
`,
  );
  const config = loadServiceConfig({ cwd: dir, env: {} });
  auth = new Authenticator(config.agents, config.approvers, config.admins, () => NOW);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('keys in countersign.yaml', () => {
  it.each([
    { case: 'a digest-only agent key', key: DIGEST_ONLY, who: 'soc-bot' },
    { case: 'the new key of a rotation', key: NEW, who: 'support-bot' },
    { case: 'a digest-only approver token', key: ALICE, who: 'alice' },
  ])('$case authenticates', ({ key, who }) => {
    expect(auth.require(`Bearer ${key}`).id).toBe(who);
  });

  it('an expired key is refused with a message saying so', () => {
    expect(() => auth.require(`Bearer ${OLD}`)).toThrow(ApiError);
    expect(() => auth.require(`Bearer ${OLD}`)).toThrow('this key expired at 2027-01-01T00:00:00.000Z: use the key that replaced it');
    expect(auth.identify(`Bearer ${OLD}`)).toBeNull();
  });

  it.each([
    { yaml: '  - { id: a, tenant: acme, blueprints: [x] }\n', problem: /agents\[0\]\.apiKey: an agent needs a key: apiKey, apiKeySha256 or apiKeys/ },
    { yaml: '  - { id: a, tenant: acme, blueprints: [x], apiKeySha256: ABC }\n', problem: /must be the lower-case hex SHA-256 of the key/ },
    { yaml: `  - { id: a, tenant: acme, blueprints: [x], apiKeys: [{ key: ${OLD}, expires: tomorrow }] }\n`, problem: /must be an ISO-8601 date or time with a zone/ },
    { yaml: `  - { id: a, tenant: acme, blueprints: [x], apiKeys: [{ key: ${OLD}, sha256: ${sha(OLD)} }] }\n`, problem: /give exactly one of key and sha256/ },
  ])('$problem', async ({ yaml, problem }) => {
    await writeFile(path.join(dir, 'bad.yaml'), `agents:\n${yaml}approvers: []\ngroups: {}\n`);
    let text = '';
    try {
      loadServiceConfig({ cwd: dir, env: { COUNTERSIGN_CONFIG: 'bad.yaml' } });
    } catch (error) {
      text = (error as Error).message;
    }
    expect(text).toMatch(problem);
  });

  it('countersign keys new prints a key and its digest', async () => {
    const io = captureIO();
    expect(await main(['keys', 'new'], io)).toBe(0);
    const [keyLine, shaLine] = io.stdoutText().split('\n');
    const key = /^key: +(\S+)$/.exec(keyLine!)![1]!;
    expect(shaLine).toBe(`sha256: ${sha(key)}`);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
