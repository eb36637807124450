/**
 * `npm run bench`: full decide() throughput over the four blueprints, side by side with the same
 * blueprint conditions evaluated by cel-js, jexl and our own compiled conditions alone, in ONE run
 * on one core. Warm-up, then interleaved samples; the median is reported. Also bytes allocated per
 * decide(). Nothing here is asserted: figures are reported as ratios against peers in the same run.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import os from 'node:os';
import { decide, type CompiledCondition } from '../../triggers/index.js';
import { activation, compileCel, compileJexl, conditionsOf, type Evaluate } from './peers.js';
import { loadBlueprints, workItems, type Blueprint } from './workload.js';

const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 7);
const SAMPLE_MS = Number(process.env['BENCH_SAMPLE_MS'] ?? 300);
const WARMUP_MS = Number(process.env['BENCH_WARMUP_MS'] ?? 1000);

const policies = loadBlueprints();
const items = workItems();
let sink = 0;

// Per request: the blueprint's conditions, for our compiled form and for each peer.
const ours = new Map<Blueprint, CompiledCondition[]>();
const cel = new Map<Blueprint, Evaluate[]>();
const jexl = new Map<Blueprint, Evaluate[]>();
for (const [b, p] of policies) {
  const conds = conditionsOf(p);
  ours.set(b, conds);
  cel.set(b, compileCel(conds.map((c) => c.source)));
  jexl.set(b, compileJexl(conds.map((c) => c.source)));
}
let perCondition = 1;
const flat = items.map((it) => ({
  policy: policies.get(it.blueprint)!,
  request: it.request,
  now: it.now,
  ours: ours.get(it.blueprint)!,
  cel: cel.get(it.blueprint)!,
  jexl: jexl.get(it.blueprint)!,
  vars: activation(it.request),
}));
const conditionEvalsPerPass = flat.reduce((n, f) => n + f.ours.length, 0);
perCondition = conditionEvalsPerPass / flat.length;

// CEL throws on a missing variable, and exceptions dominate its cost on this workload. For its
// best case, the (condition, request) pairs where every variable is present are also run alone.
const celPresent = flat.flatMap((f) =>
  f.cel.flatMap((program, k) => {
    try {
      program(f.vars);
      return [{ program, vars: f.vars, own: f.ours[k]!, request: f.request }];
    } catch {
      return [];
    }
  }),
);

/** One pass over every request; returns requests processed. */
const engines: Record<string, () => number> = {
  decide: () => {
    for (let i = 0; i < flat.length; i++) {
      const f = flat[i]!;
      sink += decide(f.policy, f.request, f.now).quorum;
    }
    return flat.length;
  },
  'own conditions': () => {
    for (let i = 0; i < flat.length; i++) {
      const f = flat[i]!;
      for (let k = 0; k < f.ours.length; k++) if (f.ours[k]!.test(f.request) === true) sink++;
    }
    return flat.length;
  },
  'cel-js': () => {
    for (let i = 0; i < flat.length; i++) {
      const f = flat[i]!;
      for (let k = 0; k < f.cel.length; k++) {
        try {
          if (f.cel[k]!(f.vars) === true) sink++;
        } catch {
          sink--; // a missing variable: unknown
        }
      }
    }
    return flat.length;
  },
  'cel-js, vars present': () => {
    for (let i = 0; i < celPresent.length; i++) if (celPresent[i]!.program(celPresent[i]!.vars) === true) sink++;
    return celPresent.length / perCondition;
  },
  'own, vars present': () => {
    for (let i = 0; i < celPresent.length; i++) if (celPresent[i]!.own.test(celPresent[i]!.request) === true) sink++;
    return celPresent.length / perCondition;
  },
  jexl: () => {
    for (let i = 0; i < flat.length; i++) {
      const f = flat[i]!;
      for (let k = 0; k < f.jexl.length; k++) if (f.jexl[k]!(f.vars) === true) sink++;
    }
    return flat.length;
  },
};

function sample(run: () => number, ms: number): number {
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  do {
    n += run();
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < limit);
  return n / (Number(elapsed) / 1e9);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function human(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

/** Bytes allocated per decide(): forced GC, then small batches measured by heap growth; median of batches. */
function bytesPerDecide(): number | null {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as (() => void) | undefined;
  }
  if (!gc) return null;
  const BATCH = 100;
  const per: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < 60; round++) {
    gc();
    const b0 = process.memoryUsage().heapUsed;
    const b1 = process.memoryUsage().heapUsed;
    baseline.push(b1 - b0);
    gc();
    const h0 = process.memoryUsage().heapUsed;
    for (let rep = 0; rep < BATCH; rep++) {
      const f = flat[rep % flat.length]!;
      sink += decide(f.policy, f.request, f.now).quorum;
    }
    const h1 = process.memoryUsage().heapUsed;
    if (h1 >= h0) per.push(h1 - h0);
  }
  if (per.length === 0) return null;
  return Math.max(0, (median(per) - median(baseline)) / BATCH);
}

const verdicts = { auto_approve: 0, require_approval: 0, deny: 0 };
for (const f of flat) verdicts[decide(f.policy, f.request, f.now).verdict]++;

console.log(`countersign decide() benchmark — Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores available, measured on one thread)`);
console.log(`workload: ${flat.length} requests over ${policies.size} blueprints (auto ${verdicts.auto_approve}, approval ${verdicts.require_approval}, deny ${verdicts.deny}); ` +
  `${conditionEvalsPerPass} condition evaluations per pass for the condition-only engines`);
console.log(`warm-up ${WARMUP_MS} ms per engine, ${SAMPLES} interleaved samples of ${SAMPLE_MS} ms, median reported\n`);

for (const run of Object.values(engines)) sample(run, WARMUP_MS);
const results: Record<string, number[]> = Object.fromEntries(Object.keys(engines).map((k) => [k, []]));
for (let s = 0; s < SAMPLES; s++) for (const [name, run] of Object.entries(engines)) results[name]!.push(sample(run, SAMPLE_MS));

const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<string, number>;
const perCond = conditionEvalsPerPass / flat.length;
console.log('| engine | what runs per request | requests/s (median) | condition evals/s (median) | requests/s min–max |');
console.log('|---|---|---:|---:|---:|');
for (const [name, v] of Object.entries(results)) {
  const what = name === 'decide' ? 'full decide(): all 7 steps + overlay'
    : name.endsWith('vars present') ? `only the ${celPresent.length} (condition, request) pairs CEL evaluates without a missing variable`
    : `the blueprint's conditions (${perCond.toFixed(2)} per request on average)`;
  const evals = name === 'decide' ? '—' : human(med[name]! * perCond);
  const equiv = name.endsWith('vars present') ? ' (equiv.)' : '';
  console.log(`| ${name} | ${what} | ${human(med[name]!)}${equiv} | ${evals} | ${human(Math.min(...v))}–${human(Math.max(...v))}${equiv} |`);
}
const ratio = (a: string, b: string): string => (med[a]! / med[b]!).toFixed(1);
console.log('(equiv.) = condition evaluations/s divided by the average conditions per request, to compare with decide()');
console.log('');
console.log(`ratio decide/cel-js: ${ratio('decide', 'cel-js')}x (target >= 2x)`);
console.log(`ratio decide/jexl: ${ratio('decide', 'jexl')}x`);
console.log(`ratio own-conditions/cel-js: ${ratio('own conditions', 'cel-js')}x`);
console.log(`ratio own-conditions/jexl: ${ratio('own conditions', 'jexl')}x`);
console.log(`ratio decide/cel-js-best-case: ${ratio('decide', 'cel-js, vars present')}x (cel-js given only pairs with every variable present)`);
console.log(`ratio own/cel-js on those pairs: ${ratio('own, vars present', 'cel-js, vars present')}x`);
console.log(`decide: ${human(med['decide']!)} decisions/s (target >= 1M)`);
const bytes = bytesPerDecide();
console.log(bytes === null ? 'allocation: not measured (gc not available)' : `allocation: ~${Math.round(bytes)} bytes per decide() (median of 60 batches of 100, heap growth after forced GC)`);
if (sink === 0.5) console.log(''); // keep results observable
