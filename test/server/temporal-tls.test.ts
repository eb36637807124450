/**
 * TLS / API-key configuration of the Temporal connections, the connection-options builder shared by
 * the client and the worker, the workflow-cache bound, and the search-attribute check used where the
 * service may not add attributes (Temporal Cloud).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, type ServiceConfig } from '../../infra/config/index.js';
import { loadServiceConfig } from '../../server/index.js';
import {
  connectionSummary,
  describeTemporalConnection,
  temporalConnectionOptions,
} from '../../infra/temporal/connection-options.js';
import {
  checkSearchAttributes,
  ensureSearchAttributes,
  isAddRefused,
  missingSearchAttributesMessage,
  requireSearchAttributes,
  TemporalSearchAttributeConflictError,
  TemporalSearchAttributesMissingError,
} from '../../infra/temporal/index.js';
import { defaultMaxCachedWorkflows } from '../../infra/temporal/worker.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../../core/index.js';
import { captureLogger, TEST_CONFIG } from '../api/harness.js';
import { temporalAddress, temporalNamespace } from '../support/temporal.js';

// Not real key material: the loader only checks the PEM armour; the SDK is never handed these.
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBfakefakefake\n-----END CERTIFICATE-----\n';
const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIIEprivateprivateprivate\n-----END PRIVATE KEY-----\n';
const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBcacacacaca\n-----END CERTIFICATE-----\n';
const API_KEY = 'tmprl-api-key-abcdefghijklmnopqrstuvwxyz.0123456789';
const CLOUD = 'countersign-prod.a1b2c.tmprl.cloud:7233';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-tls-'));
  await mkdir(path.join(dir, 'policies'));
  await mkdir(path.join(dir, 'certs'));
  await writeFile(path.join(dir, 'countersign.yaml'), TEST_CONFIG);
  await writeFile(path.join(dir, 'certs', 'client.pem'), CERT_PEM);
  await writeFile(path.join(dir, 'certs', 'client.key'), KEY_PEM);
  await writeFile(path.join(dir, 'certs', 'ca.pem'), CA_PEM);
  await writeFile(path.join(dir, 'certs', 'client.der'), Buffer.from([0x30, 0x82, 0x01, 0x0a]));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const load = (env: Record<string, string>): ServiceConfig => loadServiceConfig({ cwd: dir, env });

function problems(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).format().split('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('TEMPORAL_TLS* / TEMPORAL_API_KEY configuration', () => {
  const cert = 'certs/client.pem';
  const key = 'certs/client.key';
  const at = (f: string) => path.join(dir, f);

  it.each<[string, Record<string, string>, (d: string) => RegExp]>([
    ['cert without key', { TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS_CLIENT_CERT_PATH: cert }, () => /^TEMPORAL_TLS_CLIENT_KEY_PATH: is unset but TEMPORAL_TLS_CLIENT_CERT_PATH is set: .*set both or neither$/],
    ['key without cert', { TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS_CLIENT_KEY_PATH: key }, () => /^TEMPORAL_TLS_CLIENT_CERT_PATH: is unset but TEMPORAL_TLS_CLIENT_KEY_PATH is set: .*set both or neither$/],
    ['missing cert file', { TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS_CLIENT_CERT_PATH: 'certs/nope.pem', TEMPORAL_TLS_CLIENT_KEY_PATH: key }, (d) => new RegExp(`^TEMPORAL_TLS_CLIENT_CERT_PATH: ${esc(path.join(d, 'certs/nope.pem'))} does not exist: point TEMPORAL_TLS_CLIENT_CERT_PATH at the PEM certificate file or unset it$`)],
    ['missing key file', { TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: '/nonexistent/client.key' }, () => /^TEMPORAL_TLS_CLIENT_KEY_PATH: \/nonexistent\/client\.key does not exist: point TEMPORAL_TLS_CLIENT_KEY_PATH at the PEM private key/],
    ['missing CA file', { TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'certs/none-ca.pem' }, () => /^TEMPORAL_TLS_SERVER_CA_CERT_PATH: .*none-ca\.pem does not exist/],
    ['a directory, not a file', { TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'certs' }, () => /^TEMPORAL_TLS_SERVER_CA_CERT_PATH: .*certs is a directory, not a file/],
    ['a DER certificate', { TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'certs/client.der' }, () => /^TEMPORAL_TLS_SERVER_CA_CERT_PATH: .*client\.der is not a PEM certificate.*openssl x509 -inform der/],
    ['cert and key swapped', { TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS_CLIENT_CERT_PATH: key, TEMPORAL_TLS_CLIENT_KEY_PATH: cert }, () => /^TEMPORAL_TLS_CLIENT_CERT_PATH: .*client\.key holds a private key, not a certificate: are the certificate and key paths swapped\?$/],
    ['TEMPORAL_TLS=false with a cert', { TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS: 'false', TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key }, () => /^TEMPORAL_TLS: is false but TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH are set: unset TEMPORAL_TLS/],
    ['TLS without TEMPORAL_ADDRESS', { TEMPORAL_TLS: 'true' }, () => /^TEMPORAL_ADDRESS: is unset but TEMPORAL_TLS is set: set TEMPORAL_ADDRESS to your cluster's host:port/],
    ['an API key without TEMPORAL_ADDRESS', { TEMPORAL_API_KEY: API_KEY }, () => /^TEMPORAL_ADDRESS: is unset but TEMPORAL_API_KEY is set/],
  ])('%s is a problem naming the variable and what to do', (_name, env, pattern) => {
    const lines = problems(env);
    expect(lines.some((l) => pattern(dir).test(l)), lines.join('\n')).toBe(true);
    const text = lines.join('\n');
    for (const secret of [KEY_PEM, 'MIIEprivate', API_KEY]) expect(text).not.toContain(secret);
  });

  it('no TLS variable and no API key: plaintext, as before', () => {
    const config = load({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(config.temporalTls).toBeNull();
    expect(config.temporalApiKey).toBeUndefined();
    expect(config.maxCachedWorkflows).toBeUndefined();
  });

  it('mTLS: both files read at start (relative to cwd), TLS implied', () => {
    const config = load({
      TEMPORAL_ADDRESS: CLOUD,
      TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: at(key),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'certs/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal.example.com',
      COUNTERSIGN_MAX_CACHED_WORKFLOWS: '250',
    });
    expect(config.temporalTls).toEqual({
      clientCertPair: { crt: Buffer.from(CERT_PEM), key: Buffer.from(KEY_PEM) },
      serverRootCACertificate: Buffer.from(CA_PEM),
      serverNameOverride: 'temporal.internal.example.com',
      files: { clientCert: at(cert), clientKey: at(key), serverCaCert: at('certs/ca.pem') },
    });
    expect(config.maxCachedWorkflows).toBe(250);
  });

  it('an API key implies TLS; TEMPORAL_TLS=false keeps it plaintext (e.g. a local TLS-terminating proxy)', () => {
    const cloud = load({ TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233', TEMPORAL_API_KEY: ` ${API_KEY}\n` });
    expect(cloud.temporalApiKey).toBe(API_KEY);
    expect(cloud.temporalTls).toEqual({ files: {} });
    const proxied = load({ TEMPORAL_ADDRESS: 'localhost:7233', TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS: 'FALSE' });
    expect(proxied.temporalTls).toBeNull();
    expect(proxied.temporalApiKey).toBe(API_KEY);
    expect(load({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TLS: 'true' }).temporalTls).toEqual({ files: {} });
  });

  it('the logger redacts the API key and the private key wherever the config or the options are logged', () => {
    const config = load({ TEMPORAL_ADDRESS: CLOUD, TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key, TEMPORAL_API_KEY: API_KEY });
    const log = captureLogger('info');
    log.logger.info({ config }, 'config');
    log.logger.info(config, 'flat config');
    const options = temporalConnectionOptions(config, CLOUD);
    log.logger.info({ options }, 'options');
    log.logger.info(options, 'flat options');
    log.logger.flush();
    const text = log.text();
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(API_KEY);
    // the key's bytes as pino serializes a Buffer ({ type: 'Buffer', data: [...] }) or as text
    const keyBytes = JSON.stringify([...Buffer.from(KEY_PEM)]).slice(1, -1);
    expect(text).not.toContain(keyBytes);
    expect(text).not.toContain('MIIEprivate');
  });
});

describe('temporalConnectionOptions (the one object both connections get)', () => {
  const base = { namespace: 'countersign-prod.a1b2c', temporalTls: null, temporalApiKey: undefined };

  it('plaintext: tls false, no credentials', () => {
    const options = temporalConnectionOptions(base, 'temporal:7233');
    expect(options).toEqual({ address: 'temporal:7233', tls: false });
    expect(describeTemporalConnection(options)).toEqual({ temporalAddress: 'temporal:7233', tls: 'off', apiKey: false });
    expect(connectionSummary(options)).toBe('plaintext');
  });

  it('mTLS with a private CA and a server name override', () => {
    const crt = Buffer.from(CERT_PEM);
    const key = Buffer.from(KEY_PEM);
    const ca = Buffer.from(CA_PEM);
    const options = temporalConnectionOptions(
      { ...base, temporalTls: { clientCertPair: { crt, key }, serverRootCACertificate: ca, serverNameOverride: 'frontend.internal', files: { clientCert: '/c', clientKey: '/k', serverCaCert: '/ca' } } },
      CLOUD,
    );
    expect(options).toEqual({ address: CLOUD, tls: { clientCertPair: { crt, key }, serverRootCACertificate: ca, serverNameOverride: 'frontend.internal' } });
    expect(describeTemporalConnection(options)).toEqual({ temporalAddress: CLOUD, tls: 'mtls', tlsServerName: 'frontend.internal', customCa: true, apiKey: false });
    expect(connectionSummary(options)).toBe('mTLS');
  });

  it('API key: TLS with system roots, bearer key and the namespace header', () => {
    const options = temporalConnectionOptions({ ...base, temporalTls: { files: {} }, temporalApiKey: API_KEY }, 'us-east-1.aws.api.temporal.io:7233');
    expect(options).toEqual({
      address: 'us-east-1.aws.api.temporal.io:7233',
      tls: {},
      apiKey: API_KEY,
      metadata: { 'temporal-namespace': 'countersign-prod.a1b2c' },
    });
    const described = describeTemporalConnection(options);
    expect(described).toEqual({ temporalAddress: 'us-east-1.aws.api.temporal.io:7233', tls: 'on', apiKey: true });
    expect(JSON.stringify(described)).not.toContain(API_KEY);
    expect(connectionSummary(options)).toBe('TLS, API key');
  });

  it('an API key with TEMPORAL_TLS=false stays plaintext (the SDK would otherwise turn TLS on)', () => {
    expect(temporalConnectionOptions({ ...base, temporalApiKey: API_KEY }, 'localhost:7233').tls).toBe(false);
  });

  it('both SDK connections accept the same object against the real dev server', async () => {
    const options = temporalConnectionOptions({ namespace: temporalNamespace(), temporalTls: null, temporalApiKey: undefined }, temporalAddress());
    const client = await Connection.connect(options);
    const native = await NativeConnection.connect(options);
    try {
      expect((await client.workflowService.getSystemInfo({})).serverVersion).toBeTruthy();
      expect(await ensureSearchAttributes(client, temporalNamespace(), SEARCH_ATTRIBUTE_TYPES)).toEqual([]);
    } finally {
      await native.close();
      await client.close();
    }
  });

  it('with an API key and the namespace header (TEMPORAL_TLS=false), both connections work too', async () => {
    const options = temporalConnectionOptions({ namespace: temporalNamespace(), temporalTls: null, temporalApiKey: API_KEY }, temporalAddress());
    expect(options.metadata).toEqual({ 'temporal-namespace': temporalNamespace() });
    const client = await Connection.connect(options);
    const native = await NativeConnection.connect(options);
    try {
      expect(await ensureSearchAttributes(client, temporalNamespace(), SEARCH_ATTRIBUTE_TYPES)).toEqual([]);
    } finally {
      await native.close();
      await client.close();
    }
  });

  it('TLS towards the plaintext dev server fails to connect (the tls option is really applied)', async () => {
    const options = temporalConnectionOptions({ namespace: temporalNamespace(), temporalTls: { files: {} }, temporalApiKey: undefined }, temporalAddress());
    await expect(NativeConnection.connect(options)).rejects.toThrow();
  });
});

describe('the workflow cache bound', () => {
  it('defaults to min(1000, the SDK heap-derived default)', () => {
    const MiB = 1024 * 1024;
    expect(defaultMaxCachedWorkflows(4096 * MiB)).toBe(1000);
    expect(defaultMaxCachedWorkflows(560 * MiB)).toBe(210); // --max-old-space-size=512
    expect(defaultMaxCachedWorkflows(100 * MiB)).toBe(10);
  });
});

describe('search attributes where the service may not add them (Temporal Cloud)', () => {
  const ns = 'countersign-prod.a1b2c';
  const all = { CountersignStatus: 2, CountersignGroups: 7, CountersignBlueprint: 2, CountersignTenant: 2, CountersignDeadline: 6, CountersignAgent: 2, CountersignEligible: 7 };
  const permissionDenied = Object.assign(new Error('7 PERMISSION_DENIED: Request unauthorized.'), { code: 7 });
  const unimplemented = Object.assign(new Error('12 UNIMPLEMENTED: unknown method AddSearchAttributes'), { code: 12 });

  it('recognises a refused add, and nothing else', () => {
    expect(isAddRefused(permissionDenied)).toBe(true);
    expect(isAddRefused(unimplemented)).toBe(true);
    expect(isAddRefused(new Error('wrapped', { cause: permissionDenied }))).toBe(true);
    expect(isAddRefused(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }))).toBe(false);
    expect(isAddRefused(Object.assign(new Error('6 ALREADY_EXISTS'), { code: 6 }))).toBe(false);
    expect(isAddRefused('nope')).toBe(false);
  });

  it('all present with the right types: refused add is fine', () => {
    expect(checkSearchAttributes(ns, SEARCH_ATTRIBUTE_TYPES, { ...all, SomethingElse: 1 })).toEqual({});
    expect(() => requireSearchAttributes(ns, SEARCH_ATTRIBUTE_TYPES, all, permissionDenied)).not.toThrow();
  });

  it('some missing: a final error with the tcld command, the UI steps and every name and type', () => {
    const { CountersignDeadline: _d, CountersignGroups: _g, ...partial } = all;
    let error: unknown;
    try {
      requireSearchAttributes(ns, SEARCH_ATTRIBUTE_TYPES, partial, permissionDenied);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemporalSearchAttributesMissingError);
    const e = error as TemporalSearchAttributesMissingError;
    expect(e.code).toBe('temporal-search-attributes-missing');
    expect(e.final).toBe(true);
    expect(e.cause).toBe(permissionDenied);
    expect(e.missing).toEqual({ CountersignGroups: 'KeywordList', CountersignDeadline: 'Datetime' });
    const lines = e.message.split('\n');
    expect(lines[0]).toBe(
      `namespace ${ns} lacks the custom search attributes CountersignGroups (KeywordList), CountersignDeadline (Datetime), ` +
        'and this service may not add them (AddSearchAttributes: PERMISSION_DENIED; Temporal Cloud namespaces do not allow it).',
    );
    expect(lines).toContain(
      `  Temporal Cloud, tcld:  tcld namespace search-attributes add --namespace ${ns} --search-attribute "CountersignGroups=KeywordList" --search-attribute "CountersignDeadline=Datetime"`,
    );
    expect(e.message).toMatch(/Temporal Cloud, web UI: Namespaces > countersign-prod\.a1b2c > Edit > Custom Search Attributes > Add/);
    expect(e.message).toContain(`temporal operator search-attribute create --namespace ${ns} --name CountersignGroups --type KeywordList --name CountersignDeadline --type Datetime`);
  });

  it('the full command lists every attribute of the contract', () => {
    const message = missingSearchAttributesMessage(ns, SEARCH_ATTRIBUTE_TYPES, unimplemented);
    expect(message).toContain('(AddSearchAttributes: UNIMPLEMENTED;');
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_TYPES)) expect(message).toContain(`--search-attribute "${name}=${type}"`);
  });

  it('a type conflict is still a conflict', () => {
    expect(() => requireSearchAttributes(ns, SEARCH_ATTRIBUTE_TYPES, { ...all, CountersignDeadline: 2 }, permissionDenied)).toThrow(TemporalSearchAttributeConflictError);
    expect(() => checkSearchAttributes(ns, SEARCH_ATTRIBUTE_TYPES, { ...all, CountersignDeadline: 2 })).toThrow(/CountersignDeadline exists in namespace .* with another type \(Keyword, want Datetime\)/);
  });
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
