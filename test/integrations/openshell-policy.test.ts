/**
 * policies/examples/openshell-egress.yaml decides chunks as its comments say: read-only HTTPS to
 * the allow-list runs on its own, other clean HTTPS asks a platform engineer, the rest is denied.
 * The requests are built by the adapter's own `chunkRequest`, so this covers the param names too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkRequest, type WireChunk } from '../../integrations/front-doors/openshell/index.js';
import { decide, loadPolicy } from '../../triggers/index.js';
import { type ActionRequest } from '../../core/index.js';
import { decodedChunk } from '../fakes/openshell/gateway.js';
import { channelNames } from '../../integrations/index.js';

const file = new URL('../../policies/examples/openshell-egress.yaml', import.meta.url);
const policy = loadPolicy(readFileSync(file, 'utf8'), { file: 'openshell-egress.yaml', groups: new Set(['platform-engineer']), channels: channelNames() });

const chunk = (p: Parameters<typeof decodedChunk>[0]) => decodedChunk(p) as unknown as WireChunk;
const request = (c: WireChunk): ActionRequest => ({ ...chunkRequest(c, 'sb-1', 'default'), agent: 'openshell' });

describe('openshell-egress example policy', () => {
  it('auto-approves read-only HTTPS to an allow-listed host', () => {
    const d = decide(policy, request(chunk({ host: 'api.github.com' })), Date.now());
    expect(d.verdict).toBe('auto_approve');
    expect(d.rule.path).toBe('security.permissions.execute[0]');
  });

  it('asks a platform engineer for read-write to an allow-listed host and for other hosts', () => {
    for (const c of [chunk({ host: 'api.github.com', access: 'read-write' }), chunk({ host: 'example.com' })]) {
      const d = decide(policy, request(c), Date.now());
      expect(d.verdict).toBe('require_approval');
      expect(d.approvers).toEqual(['platform-engineer']);
      expect(d.slaSeconds).toBe(4 * 3600);
    }
  });

  it('denies other ports and chunks the prover flagged', () => {
    expect(decide(policy, request(chunk({ host: 'api.github.com', port: 22 })), Date.now()).verdict).toBe('deny');
    expect(decide(policy, request(chunk({ host: 'pypi.org', securityNotes: 'wildcard host' })), Date.now()).verdict).toBe('deny');
  });
});
