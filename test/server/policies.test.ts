import { copyFile, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelNames } from '../../integrations/index.js';
import { loadServiceConfig } from '../../server/index.js';
import { PolicyStore } from '../../infra/policies/index.js';
import { captureLogger, ROOT } from '../api/harness.js';

const groups = new Set(Object.keys(loadServiceConfig({ cwd: ROOT, env: {} }).groups));
let dir: string;
let store: PolicyStore | undefined;
let log: ReturnType<typeof captureLogger>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-policies-'));
  for (const name of ['customer-support.yaml', 'infra-management.yaml', 'sales-ops.yaml', 'security-ops.yaml']) {
    await copyFile(path.join(ROOT, 'policies', name), path.join(dir, name));
  }
  log = captureLogger('info');
});
afterEach(async () => {
  store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

function open(): PolicyStore {
  store = new PolicyStore({ dir, groups, channels: channelNames(), logger: log.logger, debounceMs: 50 });
  return store;
}

/** Resolves after the next reload that satisfies `check`. */
function reloaded(s: PolicyStore, check: () => boolean, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no reload'));
    }, ms);
    const off = s.onReload(() => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

describe('PolicyStore', () => {
  it('loads every *.yaml/*.yml except *.test.yaml, keyed by blueprint', async () => {
    await writeFile(path.join(dir, 'customer-support.test.yaml'), 'cases: []\n');
    await writeFile(path.join(dir, 'notes.txt'), 'not a policy');
    const yml = (await readFile(path.join(dir, 'sales-ops.yaml'), 'utf8')).replace('blueprint: sales-ops', 'blueprint: sales-ops-eu');
    await writeFile(path.join(dir, 'sales-eu.yml'), yml);
    const s = open();
    await s.load();
    expect(s.list().map((p) => p.blueprint)).toEqual(['customer-support', 'infra-management', 'sales-ops', 'sales-ops-eu', 'security-ops']);
    expect(s.get('customer-support')!.file).toBe(path.join(dir, 'customer-support.yaml'));
    expect(s.get('nope')).toBeUndefined();
    expect(s.errors()).toEqual([]);
  });

  it('a duplicate blueprint is an error on the later file; the first keeps serving', async () => {
    await copyFile(path.join(dir, 'customer-support.yaml'), path.join(dir, 'zz-copy.yaml'));
    const s = open();
    await s.load();
    expect(s.get('customer-support')!.file).toBe(path.join(dir, 'customer-support.yaml'));
    expect(s.errors()).toEqual([
      {
        file: path.join(dir, 'zz-copy.yaml'),
        errors: [expect.stringMatching(/zz-copy\.yaml:1:1: duplicate-blueprint: blueprint "customer-support" is already defined in .*customer-support\.yaml/)],
      },
    ]);
  });

  it('a group unknown to the service config fails that file with a positioned error', async () => {
    const text = (await readFile(path.join(dir, 'customer-support.yaml'), 'utf8')).replace('approver: support-leads', 'approver: support-leadz');
    await writeFile(path.join(dir, 'customer-support.yaml'), text);
    const s = open();
    await s.load();
    expect(s.get('customer-support')).toBeUndefined();
    expect(s.list()).toHaveLength(3);
    const [err] = s.errors();
    expect(err!.errors[0]).toMatch(/customer-support\.yaml:\d+:\d+: unknown-group: /);
  });

  it('hot reload: a bad edit keeps the last good policy and logs positioned errors; a fix swaps in', async () => {
    const s = open();
    await s.start();
    const file = path.join(dir, 'customer-support.yaml');
    const good = s.get('customer-support')!;
    const original = await readFile(file, 'utf8');

    // Bad edit: an unterminated expression.
    let next = reloaded(s, () => s.errors().length > 0);
    await writeFile(file, original.replace('"refund.amount > 50"', '"refund.amount > "'));
    await next;
    expect(s.get('customer-support')).toBe(good);
    const errs = s.errors();
    expect(errs).toHaveLength(1);
    expect(errs[0]!.file).toBe(file);
    expect(errs[0]!.errors[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: expr-`));
    const logged = log.lines.filter((l) => l.level === 50).map((l) => String(l.msg));
    expect(logged).toContain(errs[0]!.errors[0]);
    expect(log.lines.some((l) => String(l.msg).includes('keeping its last good version'))).toBe(true);

    // Fix: a new version (threshold 60) replaces the old one.
    next = reloaded(s, () => s.errors().length === 0 && s.get('customer-support') !== good);
    await writeFile(file, original.replace('"refund.amount > 50"', '"refund.amount > 60"'));
    await next;
    expect(s.get('customer-support')!.hash).not.toBe(good.hash);

    // A new file appears; a removed one disappears.
    next = reloaded(s, () => s.get('sales-ops-eu') !== undefined);
    await writeFile(path.join(dir, 'sales-eu.yaml'), (await readFile(path.join(dir, 'sales-ops.yaml'), 'utf8')).replace('blueprint: sales-ops', 'blueprint: sales-ops-eu'));
    await next;
    next = reloaded(s, () => s.get('security-ops') === undefined);
    await unlink(path.join(dir, 'security-ops.yaml'));
    await next;
    expect(s.list().map((p) => p.blueprint)).toEqual(['customer-support', 'infra-management', 'sales-ops', 'sales-ops-eu']);
  });

  it('a missing directory is logged and keeps what was loaded', async () => {
    const s = open();
    await s.load();
    await rm(dir, { recursive: true, force: true });
    await s.load();
    expect(s.list()).toHaveLength(4);
    await mkdir(dir);
  });
});
