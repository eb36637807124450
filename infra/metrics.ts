/**
 * Prometheus metrics (prom-client), one registry per service instance so tests and several
 * instances in one process never collide.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Submissions accepted by `POST /v1/actions`, by decide() verdict (auto_approve | require_approval | deny | blocked | forbidden). */
  submissions: Counter<'verdict'>;
  /** Submission → terminal decision (approved, denied, expired, blocked), in seconds, by status. */
  decisionLatency: Histogram<'status'>;
  /** Time `decide()` took to evaluate one request against its policy, in seconds. */
  policyEvaluation: Histogram<never>;
  /** Approvals currently pending, read from Temporal visibility at scrape time. */
  pending: Gauge<never>;
  /** Approvals that expired without a decision. */
  expiries: Counter<never>;
  /** Verdict callbacks that could not be delivered. */
  deliveryFailures: Counter<never>;
  /** 1 while this process reaches Temporal, 0 while it does not (see infra/temporal/monitor.ts). */
  temporalUp: Gauge<never>;
  /** Restarts of the embedded dev server after it died (see infra/temporal/supervisor.ts). */
  temporalRestarts: Counter<never>;
  /** Sets how `countersign_pending` is counted (the service wires it once Temporal is connected). */
  setPendingCounter(fn: () => Promise<number>): void;
}

export interface CreateMetricsOptions {
  /** Returns the number of pending approvals; called on every scrape (errors leave the last value). */
  countPending?: () => Promise<number>;
  /** Include Node process metrics (default true). */
  defaultMetrics?: boolean;
}

export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'countersign_' });
  const submissions = new Counter({
    name: 'countersign_submissions_total',
    help: 'Action requests submitted, by policy verdict (blocked: a rate limit or cooldown held; forbidden: the agent is not bound to the blueprint).',
    labelNames: ['verdict'] as const,
    registers: [registry],
  });
  for (const verdict of ['auto_approve', 'require_approval', 'deny', 'blocked', 'forbidden']) submissions.inc({ verdict }, 0);
  const decisionLatency = new Histogram({
    name: 'countersign_decision_latency_seconds',
    help: 'Time from submission to the terminal decision (approved, denied, expired, blocked).',
    labelNames: ['status'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 5, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
    registers: [registry],
  });
  const policyEvaluation = new Histogram({
    name: 'countersign_policy_evaluation_seconds',
    help: 'Time the policy engine (decide()) took to evaluate one request.',
    buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
    registers: [registry],
  });
  let countPending = options.countPending;
  const pending = new Gauge({
    name: 'countersign_pending',
    help: 'Approvals waiting for a person (Temporal visibility).',
    registers: [registry],
    async collect() {
      if (!countPending) return;
      try {
        this.set(await countPending());
      } catch {
        // keep the last value: a scrape must not fail because Temporal is slow
      }
    },
  });
  const expiries = new Counter({
    name: 'countersign_expiries_total',
    help: 'Approvals that expired without a decision.',
    registers: [registry],
  });
  const deliveryFailures = new Counter({
    name: 'countersign_delivery_failures_total',
    help: 'Verdict deliveries (callbacks) that failed.',
    registers: [registry],
  });
  const temporalUp = new Gauge({
    name: 'countersign_temporal_up',
    help: 'Whether this process reaches Temporal (1) or not (0), as its last health check found.',
    registers: [registry],
  });
  temporalUp.set(1);
  const temporalRestarts = new Counter({
    name: 'countersign_temporal_restarts_total',
    help: 'Restarts of the embedded Temporal dev server after it stopped unexpectedly.',
    registers: [registry],
  });
  const metrics: Metrics = {
    registry,
    submissions,
    decisionLatency,
    policyEvaluation,
    pending,
    expiries,
    deliveryFailures,
    temporalUp,
    temporalRestarts,
    setPendingCounter(fn) {
      countPending = fn;
    },
  };
  return metrics;
}

/** The counters the worker's activities feed (see activities/index.ts `ActivityMetrics`). */
export function activityMetrics(metrics: Metrics): {
  expired(): void;
  deliveryFailed(): void;
  decided(status: string, latencyMs: number): void;
} {
  return {
    expired: () => metrics.expiries.inc(),
    deliveryFailed: () => metrics.deliveryFailures.inc(),
    decided: (status, latencyMs) => metrics.decisionLatency.observe({ status }, Math.max(0, latencyMs) / 1000),
  };
}
