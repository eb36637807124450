/** The printed result of bench/pending: each target's figures, then Countersign over its peer. */
import { ms, percentile } from '../lib/stats.js';
import { mib, type PendingFigures } from './measure.js';

export interface ReportContext {
  header: string;
  n: number;
  slaSeconds: number;
  remindEverySeconds: number;
}

function lines(name: string, f: PendingFigures, n: number): string[] {
  const lagMax = f.lags.length > 0 ? Math.max(...f.lags) : Number.NaN;
  return [
    `${name}: ${f.pending} pending (${f.failures} failed submissions) in ${f.submitSeconds.toFixed(0)} s (${(f.pending / f.submitSeconds).toFixed(0)}/s)${f.reminders !== null ? `; ${f.reminders} reminders sent` : ''}`,
    `  worker RSS: ${mib(f.rssAllPending)} with all pending, peak ${mib(f.rssPeak)} (target ≤ 1024 MiB)`,
    `  list pending (${f.listRows} rows): all pending p50 ${ms(percentile(f.listAllPending, 50))} p95 ${ms(percentile(f.listAllPending, 95))} over ${f.listAllPending.length} calls (target p95 ≤ 200 ms); ` +
      `while submitting (≥ ${Math.floor(n / 2)} pending) p50 ${ms(percentile(f.listWhileSubmitting, 50))} p95 ${ms(percentile(f.listWhileSubmitting, 95))} over ${f.listWhileSubmitting.length} calls${f.listErrors ? `; ${f.listErrors} calls failed` : ''}`,
    `  expiry lag deadline→expired (${f.lags.length}/${f.pending} expired; deadlines spread over ${f.deadlineSpreadSeconds.toFixed(0)} s): ` +
      `p50 ${ms(percentile(f.lags, 50))} p99 ${ms(percentile(f.lags, 99))} max ${ms(lagMax)} (target ≤ 2000 ms for all)`,
  ];
}

const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

function ratios(c: PendingFigures, f: PendingFigures): string[] {
  const lagP50 = [percentile(c.lags, 50), percentile(f.lags, 50)] as const;
  const lagMax = [Math.max(...c.lags), Math.max(...f.lags)] as const;
  return [
    'Countersign / bare Temporal, same run:',
    `  submissions/s ${ratio(c.pending / c.submitSeconds, f.pending / f.submitSeconds)}; worker RSS all pending ${ratio(c.rssAllPending ?? Number.NaN, f.rssAllPending ?? Number.NaN)}, peak ${ratio(c.rssPeak, f.rssPeak)}`,
    `  list p95 all pending ${ratio(percentile(c.listAllPending, 95), percentile(f.listAllPending, 95))}; expiry lag p50 ${ratio(...lagP50)} (${ms(lagP50[0])} vs ${ms(lagP50[1])}), max ${ratio(...lagMax)} (${ms(lagMax[0])} vs ${ms(lagMax[1])})`,
  ];
}

export function report(figures: { floor?: PendingFigures; countersign?: PendingFigures }, ctx: ReportContext): string {
  const out = [ctx.header, `${ctx.n} approvals; SLA ${ctx.slaSeconds}s, reminders every ${ctx.remindEverySeconds}s`];
  if (figures.floor) out.push(...lines('bare Temporal (same timers, no work on wake; visibility query via the client)', figures.floor, ctx.n));
  if (figures.countersign) out.push(...lines('Countersign (POST /v1/actions; GET /v1/approvals?status=pending&limit=100)', figures.countersign, ctx.n));
  if (figures.floor && figures.countersign) out.push(...ratios(figures.countersign, figures.floor));
  return out.join('\n');
}
