/** Teams config and card rendering, without Temporal. */
import { describe, expect, it } from 'vitest';
import { md, readTeamsConfig, renderAdaptiveCard, TeamsErrorCode } from '../../integrations/channels/teams/index.js';

describe('Teams config', () => {
  it('refuses an empty app id unless insecure test mode is explicit, and names missing variables', () => {
    expect(readTeamsConfig({})).toBeNull();
    expect(() => readTeamsConfig({ MICROSOFT_APP_PASSWORD: 'p' })).toThrow(/MICROSOFT_APP_ID/);
    expect(() => readTeamsConfig({ MICROSOFT_APP_ID: 'id' })).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(() => readTeamsConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' })).toThrow(/MICROSOFT_APP_TENANT_ID/);
    expect(() => readTeamsConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'Other' })).toThrow(/MICROSOFT_APP_TYPE/);
    expect(readTeamsConfig({ TEAMS_INSECURE_TEST_MODE: '1' })).toMatchObject({ appId: '', insecure: true });
    expect(() => readTeamsConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p' })).toThrow(
      'TEAMS_ALLOWED_TENANTS is not set but a MultiTenant bot accepts activities from any Entra tenant: name the tenant ids whose people may decide (comma-separated), or set MICROSOFT_APP_TENANT_ID',
    );
    expect(readTeamsConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p', TEAMS_ALLOWED_TENANTS: ' Tenant-A, tenant-b ,' })).toMatchObject({
      insecure: false,
      appType: 'MultiTenant',
      allowedTenants: ['tenant-a', 'tenant-b'],
    });
    expect(readTeamsConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: 'tenant-c' })).toMatchObject({ allowedTenants: ['tenant-c'] });
    expect(readTeamsConfig({ TEAMS_INSECURE_TEST_MODE: '1' })).toMatchObject({ allowedTenants: [] });
    try {
      readTeamsConfig({ TEAMS_DEFAULT_GROUP: 'x' });
    } catch (e) {
      expect((e as { code: string }).code).toBe(TeamsErrorCode.ConfigMissing);
    }
  });
});

describe('Teams card', () => {
  it('escapes markdown and offers Action.Execute only while pending', () => {
    expect(md('[x](http://e) *b* <i>')).toBe('\\[x\\](http://e) \\*b\\* \\<i\\>');
    const base = {
      id: 'act_1', blueprint: 'b', request: { action: 'account.modify', agent: 'a' }, requestHash: 'h'.repeat(64), rule: { path: 'p', line: 1 },
      reason: 'r', explanation: [], approvers: ['g'], eligible: ['bob'], quorum: { required: 1, approvedBy: [] }, deadline: null,
      severity: 'info' as const, status: 'pending' as const, decidedBy: null, decidedAt: null, outcome: null, summary: 's',
    };
    const pending = renderAdaptiveCard(base) as { version: string; actions: { type: string }[] };
    expect(pending.version).toBe('1.5');
    expect(pending.actions.map((a) => a.type)).toEqual(['Action.Execute', 'Action.ShowCard']);
    const done = renderAdaptiveCard({ ...base, status: 'expired', decidedAt: 0, outcome: 'no decision' }) as { actions: unknown[] };
    expect(done.actions).toEqual([]);
  });
});
