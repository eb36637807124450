/**
 * The benchmark workload: the four shipped blueprints and a mixed set of ~40 requests (auto,
 * approval, deny, missing fields, and production changes inside and outside the change window).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPolicy, type CompiledPolicy } from '../../triggers/index.js';
import { type ActionRequest } from '../../core/index.js';
import { channelNames } from '../../integrations/index.js';

export const BLUEPRINTS = ['customer-support', 'sales-ops', 'security-ops', 'infra-management'] as const;
export type Blueprint = (typeof BLUEPRINTS)[number];

/** Tuesday 10:00 UTC (inside tue-thu/09:00-17:00/UTC) and Saturday 10:00 UTC (outside). */
export const TUESDAY = Date.parse('2026-11-24T10:00:00Z');
export const SATURDAY = Date.parse('2026-11-28T10:00:00Z');

export interface WorkItem {
  readonly blueprint: Blueprint;
  readonly request: ActionRequest;
  readonly now: number;
}

const r = (action: string, extra: Omit<ActionRequest, 'action' | 'agent'> = {}): ActionRequest => ({ action, agent: 'bench-agent', ...extra });

const REQUESTS: Record<Blueprint, readonly (readonly [ActionRequest, number])[]> = {
  'customer-support': [
    [r('refund', { params: { amount: 75, order: 'A-1' } }), TUESDAY],
    [r('refund', { params: { amount: 50, order: 'A-2' } }), TUESDAY],
    [r('refund', { params: { order: 'A-3' } }), TUESDAY], // missing amount
    [r('refund', { params: { amount: '75' } }), TUESDAY], // wrong type
    [r('account.modify', { params: { customer_id: 'C-1' } }), TUESDAY],
    [r('escalate.to-human', { context: { ticket: 'ZD-1' } }), TUESDAY],
    [r('write', { resource: 'billing' }), TUESDAY],
    [r('read', { resource: 'tickets' }), TUESDAY],
    [r('write', { resource: 'tickets' }), TUESDAY],
    [r('read', { resource: 'order_history' }), TUESDAY],
    [r('customer.delete', { params: { customer_id: 'C-2' } }), TUESDAY],
  ],
  'sales-ops': [
    [r('opportunity.stage.change', { params: { opportunity: 'O-1', stage: 'won' } }), TUESDAY],
    [r('email.send.first-contact', { params: { to: 'p@example.com', template: 'intro' } }), TUESDAY],
    [r('discount.offer', { params: { percent: 15 } }), TUESDAY],
    [r('read', { resource: 'salesforce:contacts' }), TUESDAY],
    [r('write', { resource: 'salesforce:notes' }), TUESDAY],
    [r('write', { resource: 'salesforce:opportunity.amount' }), TUESDAY],
    [r('email.send', { params: { to: 'c@example.com', template: 'follow-up' } }), TUESDAY],
    [r('email.send', { params: { to: 'c@example.com' } }), TUESDAY], // missing template
    [r('contact.delete', { params: { id: 'X' } }), TUESDAY],
  ],
  'security-ops': [
    [r('block-ip', { params: { ip: '203.0.113.7', threat_score: 95, source: 'known-malicious' } }), TUESDAY],
    [r('block-ip', { params: { ip: '203.0.113.7', threat_score: 95, source: 'unknown' } }), TUESDAY],
    [r('block-ip', { params: { ip: '203.0.113.7', threat_score: 70, source: 'known-malicious' } }), TUESDAY],
    [r('block-ip', { params: { ip: '203.0.113.7', threat_score: 69, source: 'known-malicious' } }), TUESDAY],
    [r('block-ip', { params: { ip: '203.0.113.7', source: 'known-malicious' } }), TUESDAY], // missing score
    [r('isolate-host', { params: { host: 'web-01' } }), TUESDAY],
    [r('disable-account', { params: { user: 'mallory' } }), TUESDAY],
    [r('read', { resource: 'siem_alerts' }), TUESDAY],
    [r('write', { resource: 'firewall-rules' }), TUESDAY],
    [r('port-scan', { params: { target: '10.0.0.0/8' } }), TUESDAY],
  ],
  'infra-management': [
    [r('scale.horizontal', { params: { environment: 'staging', factor: 3 }, context: { ticket: 'OPS-1' } }), TUESDAY],
    [r('scale.horizontal', { params: { environment: 'production', factor: 2 }, context: { ticket: 'OPS-2' } }), TUESDAY],
    [r('scale.horizontal', { params: { environment: 'production', factor: 3 }, context: { ticket: 'OPS-3' } }), TUESDAY],
    [r('scale.horizontal', { params: { environment: 'production', factor: 2 }, context: { ticket: 'OPS-4' } }), SATURDAY], // window overlay
    [r('scale.horizontal', { params: { environment: 'staging', factor: 3 }, context: { ticket: 'OPS-5' } }), SATURDAY],
    [r('scale.horizontal', { params: { environment: 'production' }, context: { ticket: 'OPS-6' } }), TUESDAY], // missing factor
    [r('scale.horizontal', { params: { environment: 'staging', factor: 3 } }), TUESDAY], // no ticket
    [r('credential.rotate', { params: { credential: 'db' }, context: { ticket: 'OPS-7' } }), TUESDAY],
    [r('deploy.rollback', { params: { environment: 'production' }, context: { ticket: 'OPS-8' } }), SATURDAY],
    [r('config.update', { params: { environment: 'staging' }, context: { ticket: 'OPS-9' } }), TUESDAY],
    [r('read', { resource: 'deployment-logs' }), TUESDAY],
    [r('write', { resource: 'iam-roles' }, ), TUESDAY],
  ],
};

/** The mixed request set, interleaved across blueprints. */
export function workItems(): WorkItem[] {
  const lists = BLUEPRINTS.map((b) => REQUESTS[b].map(([request, now]) => ({ blueprint: b, request, now })));
  const out: WorkItem[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** Loads the shipped blueprints from policies/. */
export function loadBlueprints(): Map<Blueprint, CompiledPolicy> {
  const dir = fileURLToPath(new URL('../../policies/', import.meta.url));
  return new Map(BLUEPRINTS.map((b) => [b, loadPolicy(readFileSync(`${dir}${b}.yaml`, 'utf8'), { file: `policies/${b}.yaml`, channels: channelNames() })]));
}
