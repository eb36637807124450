/**
 * Every side effect of the approval workflow. `createActivities(deps)` returns the object the
 * worker registers (`createWorker({ activities })`).
 */
import type { Logger } from 'pino';
import { CountersignError, WEB_CHANNEL, type HealthReporter } from '../core/index.js';
import type { AuditSigner } from '../core/crypto/index.js';
import type { ChannelRegistry } from '../integrations/kit/channel.js';
import { AuditLog } from './audit/log.js';
import { buildCard } from './cards.js';
import { deliverVerdict } from './deliver.js';
import { activityFailure, channelFailure, FinalErrorCode } from './errors.js';
import type { ApprovalActivities, PostCardResult } from './types.js';

export type * from './types.js';
export { AuditLog, auditFilePath } from './audit/log.js';
export type { AuditRecord } from './audit/log.js';
export { verifyAuditLog } from '../core/crypto/index.js';
export type { VerifyResult } from '../core/crypto/index.js';
export { buildCard } from './cards.js';
export { redact, REDACTED } from '../core/redact.js';
export * from './errors.js';

/** Counters the activities feed; infra/metrics.ts implements them with prom-client. */
export interface ActivityMetrics {
  expired(): void;
  deliveryFailed(): void;
  decided(status: string, latencyMs: number): void;
}

export interface ActivityDeps {
  dataDir: string;
  /** Defaults to `<dataDir>/audit.jsonl`. One AuditLog per file per process. */
  audit?: AuditLog;
  /** Signs the entries of blueprints with `auditLog.signedEntries: true` (for the default log). */
  auditSigner?: AuditSigner | null;
  channels: ChannelRegistry;
  callbackSecretFor(agentId: string): string | undefined;
  logger: Logger;
  metrics?: ActivityMetrics;
  /** Told when a channel's vendor rejects calls (final errors: credentials, configuration) and when it answers again. */
  health?: HealthReporter;
}

/** Terminal audit events that feed `metrics.decided` (their `data.latencyMs` is the latency). */
const DECIDED_EVENTS = new Set(['approved', 'denied', 'expired', 'blocked', 'withdrawn']);

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createActivities(deps: ActivityDeps): ApprovalActivities {
  const log = deps.audit ?? AuditLog.inDataDir(deps.dataDir, { logger: deps.logger, signer: deps.auditSigner ?? null });
  const logger = deps.logger;

  const channelFor = (name: string) => {
    const channel = deps.channels.get(name);
    if (!channel) throw activityFailure(FinalErrorCode.BadActivityInput, `no channel named ${name} is registered`);
    return channel;
  };

  /** Runs one channel call: a vendor that rejects it marks the channel degraded, one that answers marks it well. */
  const viaChannel = async <T>(name: string, what: string, call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      deps.health?.restore(`channel:${name}`);
      return result;
    } catch (err) {
      if (err instanceof CountersignError && err.final) deps.health?.degrade(`channel:${name}`, `${what} was rejected: ${message(err)}`);
      throw channelFailure(err, `${name}: ${what} failed: ${message(err)}`);
    }
  };

  return {
    /**
     * Appends to the audit log. Also feeds metrics, since every terminal event is audited once:
     * `expired` → expired(); `delivery_failed` → deliveryFailed(); approved/denied/expired/blocked →
     * decided(status, data.latencyMs).
     */
    async audit(entry) {
      const record = await log.append(entry);
      const m = deps.metrics;
      if (m) {
        if (entry.event === 'expired') m.expired();
        if (entry.event === 'delivery_failed') m.deliveryFailed();
        if (DECIDED_EVENTS.has(entry.event)) {
          const latency = entry.data?.latencyMs;
          m.decided(entry.event, typeof latency === 'number' ? latency : 0);
        }
      }
      return { seq: record.seq, hash: record.hash };
    },

    async postCard({ channel: wanted, card }): Promise<PostCardResult> {
      const requested = deps.channels.get(wanted);
      const channel = requested ?? channelFor(WEB_CHANNEL);
      const ref = await viaChannel(channel.name, 'posting the card', () => channel.post(buildCard(card))).catch((err: unknown) => {
        logger.warn({ id: card.input.id, channel: channel.name, err: message(err) }, 'posting the approval card failed');
        throw err;
      });
      if (requested) return { ref };
      return { ref, fallback: `${wanted} integration not configured; built-in web channel serves this approval` };
    },

    async updateCard({ ref, card }) {
      const channel = channelFor(ref.channel);
      await viaChannel(ref.channel, 'updating the card', () => channel.update(ref, buildCard(card)));
    },

    async remind({ ref, card, pending }) {
      const channel = channelFor(ref.channel);
      if (channel.remind) await viaChannel(ref.channel, 'reminding', () => channel.remind!(ref, buildCard(card), pending));
    },

    async escalate({ ref, card, to }) {
      const channel = channelFor(ref.channel);
      await viaChannel(ref.channel, 'escalating', () => (channel.escalate ? channel.escalate(ref, buildCard(card), to) : channel.update(ref, buildCard(card))));
    },

    async deliverVerdict(input) {
      return deliverVerdict({ callbackSecretFor: deps.callbackSecretFor }, input);
    },
  };
}
