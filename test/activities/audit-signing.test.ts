/**
 * Signed audit entries: Ed25519 over each entry's chain hash, named by key id. Table-driven over a
 * real log written by AuditLog: the right keys verify (across a rotation), and an edited entry, a
 * forged signature, a wrong key, a removed line and a reordered pair each fail at their line; the
 * CLI reports the same, and a worker whose blueprint asks for signatures refuses to start without a key.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../activities/audit/log.js';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';
import { auditPublicKeys, auditSigner, generateAuditSigningKey, verifyAuditLog } from '../../core/crypto/index.js';
import { ConfigError } from '../../infra/config/index.js';
import { loadServiceConfig, startService } from '../../server/index.js';
import { captureLogger, ROOT, TEST_CONFIG } from '../api/harness.js';
import { temporalAddress, temporalNamespace } from '../support/temporal.js';

let dir: string;
const first = generateAuditSigningKey();
const second = generateAuditSigningKey();
const stranger = generateAuditSigningKey();
let text: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-audit-signing-'));
  const quiet = { warn: () => {} };
  const a = new AuditLog(path.join(dir, 'audit.jsonl'), { signer: auditSigner(first.privateKeyPem), logger: quiet });
  await a.append({ event: 'submitted', id: 'act_acme_1', who: 'soc-bot', data: { ip: '203.0.113.9' }, sign: true });
  await a.append({ event: 'refused', id: 'submission', who: 'support-bot', data: {} });
  await a.append({ event: 'approved', id: 'act_acme_1', who: 'alice', data: {}, sign: true });
  // A rotation: the next process signs with the second key, continuing the same chain.
  const b = new AuditLog(path.join(dir, 'audit.jsonl'), { signer: auditSigner(second.privateKeyPem), logger: quiet });
  await b.append({ event: 'delivered', id: 'act_acme_1', who: 'system', data: {}, sign: true });
  text = await readFile(path.join(dir, 'audit.jsonl'), 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = () => text.trimEnd().split('\n');
const join = (ls: string[]) => `${ls.join('\n')}\n`;
const edit = (n: number, fn: (r: Record<string, any>) => void) => {
  const ls = lines();
  const r = JSON.parse(ls[n - 1]!);
  fn(r);
  ls[n - 1] = JSON.stringify(r);
  return join(ls);
};
const kid = (pem: string) => auditSigner(pem).kid;

describe('verifying signed entries', () => {
  it('both keys of a rotation verify every signed entry; unsigned entries stay valid', () => {
    const result = verifyAuditLog(text, { publicKeys: auditPublicKeys([first.publicKeyPem, second.publicKeyPem]) });
    expect(result).toEqual({ ok: true, entries: 4, signatures: { signed: 3, keys: [kid(first.privateKeyPem), kid(second.privateKeyPem)], checked: true } });
    expect(JSON.parse(lines()[1]!).sig).toBeUndefined();
  });

  it.each([
    { case: 'an edited signed entry', log: () => edit(1, (r) => (r.data.ip = '198.51.100.1')), keys: () => [first, second], line: 1, reason: 'hash does not match the entry: the entry was edited' },
    { case: 'a forged signature', log: () => edit(3, (r) => (r.sig.value = Buffer.alloc(64, 1).toString('base64'))), keys: () => [first, second], line: 3, reason: `signature does not verify with key ${kid(first.privateKeyPem)}: the entry or its signature was changed` },
    { case: 'a signature moved from another entry', log: () => edit(3, (r) => (r.sig = JSON.parse(lines()[0]!).sig)), keys: () => [first, second], line: 3, reason: `signature does not verify with key ${kid(first.privateKeyPem)}: the entry or its signature was changed` },
    { case: 'a wrong public key', log: () => text, keys: () => [stranger], line: 1, reason: `signed with key ${kid(first.privateKeyPem)}, which none of the given public keys is` },
    { case: 'only the old key after a rotation', log: () => text, keys: () => [first], line: 4, reason: `signed with key ${kid(second.privateKeyPem)}, which none of the given public keys is` },
    { case: 'a removed line', log: () => join(lines().filter((_, i) => i !== 1)), keys: () => [first, second], line: 2, reason: 'seq 3 where 2 was expected: an entry before it was removed or entries were reordered' },
    { case: 'a reordered pair', log: () => join([lines()[0]!, lines()[2]!, lines()[1]!, lines()[3]!]), keys: () => [first, second], line: 2, reason: 'seq 3 where 2 was expected: an entry before it was removed or entries were reordered' },
  ])('$case fails at line $line', ({ log, keys, line, reason }) => {
    expect(verifyAuditLog(log(), { publicKeys: auditPublicKeys(keys().map((k) => k.publicKeyPem)) })).toEqual({ ok: false, line, reason });
  });

  it('an entry that must be signed is refused by a log without a key', async () => {
    const log = new AuditLog(path.join(dir, 'unsigned.jsonl'), { logger: { warn: () => {} } });
    await expect(log.append({ event: 'submitted', id: 'act_acme_2', who: 'soc-bot', data: {}, sign: true })).rejects.toMatchObject({
      type: 'audit-signing-key-missing',
      nonRetryable: true,
    });
  });
});

describe('countersign audit verify', () => {
  const run = async (args: string[]) => {
    const io = captureIO({ cwd: dir });
    const code = await main(['audit', 'verify', ...args], io);
    return { code, out: io.stdoutText().trimEnd(), err: io.stderrText().trimEnd() };
  };

  it.each([
    { case: 'both keys', keys: ['first.pub.pem', 'second.pub.pem'], code: 0, out: () => `ok audit.jsonl: 4 entries, 3 signed (keys ${kid(first.privateKeyPem)}, ${kid(second.privateKeyPem)})`, err: '' },
    { case: 'a wrong key', keys: ['stranger.pub.pem'], code: 1, out: () => '', err: `audit.jsonl:1: signed with key ${kid(first.privateKeyPem)}, which none of the given public keys is` },
    { case: 'no key', keys: [], code: 1, out: () => 'ok audit.jsonl: 4 entries, 3 signed, signatures NOT checked: pass --public-key', err: '' },
  ])('$case → exit $code', async ({ keys, code, out, err }) => {
    await writeFile(path.join(dir, 'first.pub.pem'), first.publicKeyPem);
    await writeFile(path.join(dir, 'second.pub.pem'), second.publicKeyPem);
    await writeFile(path.join(dir, 'stranger.pub.pem'), stranger.publicKeyPem);
    const r = await run(['audit.jsonl', ...keys.flatMap((k) => ['--public-key', k])]);
    expect(r).toEqual({ code, out: out(), err });
  });
});

describe('a worker whose blueprints ask for signatures', () => {
  it('refuses to start in production without a key, naming the variable', async () => {
    const svcDir = await mkdtemp(path.join(tmpdir(), 'countersign-audit-start-'));
    await writeFile(path.join(svcDir, 'countersign.yaml'), TEST_CONFIG);
    const env = { TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: temporalNamespace(), COUNTERSIGN_POLICY_DIR: path.join(ROOT, 'policies'), COUNTERSIGN_DATA_DIR: path.join(svcDir, 'data'), COUNTERSIGN_PORT: '0' };
    const config = loadServiceConfig({ cwd: svcDir, env });
    const error = await startService({ config, logger: captureLogger('fatal').logger, env, api: false, taskQueue: 'audit-signing-start' }).then(
      async (svc) => (await svc.close(), null),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).format()).toBe(
      'COUNTERSIGN_AUDIT_SIGNING_KEY_FILE: blueprint security-ops asks for signed audit entries (auditLog.signedEntries: true) but no signing key is set: point COUNTERSIGN_AUDIT_SIGNING_KEY_FILE at an Ed25519 private key in PKCS#8 PEM (openssl genpkey -algorithm ed25519)',
    );
    await rm(svcDir, { recursive: true, force: true });
  });
});
