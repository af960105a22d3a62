// Harness benchmark: what `lambench run` itself costs, against a no-op function on the embedded
// emulator, in one process as a user runs it.
//   1. overhead: warm client latency minus the function's own duration (p50/p99) at a moderate rate;
//   2. the highest arrival rate the harness sustains, after a warm-up ramp, with event-loop delay
//      p99 under 10 ms in every sample, no arrival dropped and none fired more than 10 ms late;
//   3. harness RSS after 100k and after 1M invocations (growth target: under 10%).
// Run: npm run bench -- harness [--rate 1500] [--rates 500,1000,…] [--all-rates] [--warm-up 3]
//   [--invocations 1000000]
// (--all-rates: keep stepping after a failing rate; --warm-up 0: no ramp, the whole step judged,
// the method of figures before the ramp.) Profile the harness at a rate with
// node --cpu-prof --cpu-prof-dir=prof bench/run.mjs harness --rates 3000 --invocations 0
// Everything stays on 127.0.0.1 and is bounded in count and time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeHistogram, summarizeHistogram } from '../dist/metrics/index.js';
import { startRun } from '../dist/run/run.js';
import { loadScenario, planRun } from '../dist/scenario/index.js';
import { descendantsCpu } from './lib/descendants-cpu.mjs';
import { row } from './lib/rows.mjs';

export const about = '`lambench run` itself: overhead, highest sustained rate, RSS over 1M invocations';

const HERE = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'lambench-harness-'));

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

/**
 * Environments provisioned for a rate: about what the rate needs at a few milliseconds per call
 * (one per 250/s), at least 4. This benchmark measures the harness, not cold starts: with a fixed
 * 4, every step above ~1,000/s started 10-20 environments mid-step (0.1 s of CPU each on the two
 * cores the harness shares), as Lambda would scale a function whose concurrency outgrew its
 * provisioned environments. Sized to the rate, as a user provisions a function for steady
 * traffic, the steps measure warm invokes; the cold column shows any that still happen.
 */
const provisionedFor = (rate) => Math.max(4, Math.ceil(rate / 250));

/**
 * Seconds of warm-up before a measured step (--warm-up, default 3): arrivals ramp from a tenth of
 * the rate to the rate. Fresh environments and the harness's own code are JIT-cold: started at
 * full rate, the first second's calls are slow, pile up and start environments mid-step (the
 * spiral that failed every step of earlier runs, always in its first second). A load test warms a
 * system up the same way; the ramp's seconds are reported apart and never judged. --warm-up 0 is
 * the method of earlier figures: the whole step at full rate, all of it judged.
 */
let WARM_UP_S = 3;

/** The load of a step: the warm-up ramp, then `seconds` at `rate`. */
const rampThen = (rate, seconds) =>
  WARM_UP_S > 0
    ? `[{ duration: ${WARM_UP_S}s, arrivalRate: ${Math.max(1, Math.round(rate / 10))}, rampTo: ${rate} }, { duration: ${seconds}s, arrivalRate: ${rate} }]`
    : `[{ duration: ${seconds}s, arrivalRate: ${rate} }]`;

/** A one-source scenario: `rate` arrivals/s for `seconds` into the no-op function, after the warm-up. */
async function scenario(name, rate, seconds, load = rampThen(rate, seconds)) {
  const file = join(work, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'functions:',
      '  noop:',
      `    handler: ${join(HERE, 'functions', 'noop.handler')}`,
      '    runtime: nodejs20.x',
      '    memory: 1769',
      // Initialised before the first arrival, so every call measured is warm: this benchmark is
      // about the harness, not about cold starts.
      `    provisioned: ${provisionedFor(rate)}`,
      'sources:',
      '  direct:',
      '    invoke: {}',
      '    to: noop',
      '    maxInFlight: 10000',
      `    load: ${load}`,
      'run:',
      '  grace: 10s',
      `  output: ${join(work, 'reports', name)}`,
    ].join('\n'),
  );
  const s = await loadScenario(file);
  return { scenario: s, plan: planRun(s) };
}

/** The spawner process (a child of this one, started with the first environment), if any. */
function spawnerPid() {
  const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim();
  for (const pid of children ? children.split(' ') : []) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('spawner/main.js')) return Number(pid);
    } catch {
      // Gone.
    }
  }
  return undefined;
}

const TICK = 100; // USER_HZ: /proc times are in 1/100 s on Linux

/**
 * CPU seconds of environments that have exited and been reaped by the spawner (cutime + cstime):
 * after a run every environment has, so the difference over a run is what its environments used.
 */
function environmentsCpuS() {
  const pid = spawnerPid();
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // After ") ": state is field 3, so cutime (16) and cstime (17) are at indexes 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / TICK;
}

/**
 * How the measured seconds' environment CPU spread over environments: each live environment's CPU
 * (from /proc, every 250 ms) at the start of the measured phase and at its last reading. The open
 * model pays for waking an idle environment (the wakeups part); the more environments share the
 * calls, the longer each sleeps between them.
 */
function watchEnvironments(measuredFrom) {
  const first = new Map();
  const last = new Map();
  const read = () => {
    const spawner = spawnerPid();
    const now = spawner === undefined ? undefined : descendantsCpu(spawner);
    for (const [pid, us] of now ?? []) {
      if (Date.now() < measuredFrom()) first.set(pid, us);
      last.set(pid, us);
    }
  };
  const timer = setInterval(read, 250);
  return () => {
    clearInterval(timer);
    const used = [...last].map(([pid, us]) => us - (first.get(pid) ?? 0)).filter((us) => us > 0);
    const total = used.reduce((a, b) => a + b, 0);
    return { environments: used.length, busiestShare: total > 0 ? Math.max(...used) / total : 0 };
  };
}

/**
 * Runs a step; resolves with its results, the epoch ms its measured phase began, and with `spread`
 * how the environments' CPU spread (sampling /proc in this process, so not while measuring overhead).
 */
async function runOnce(name, rate, seconds, { spread: watch = false } = {}) {
  const { scenario: s, plan } = await scenario(name, rate, seconds);
  let measuredFromEpochMs = Number.POSITIVE_INFINITY;
  const spread = watch ? watchEnvironments(() => measuredFromEpochMs) : undefined;
  const handle = startRun({
    scenario: s,
    plan,
    outputDir: join(work, 'reports', name),
    // The recorder is made as the point starts, just before its first arrival.
    onRecorder: () => {
      measuredFromEpochMs = Date.now() + WARM_UP_S * 1000;
    },
  });
  const results = (await handle.done).results;
  return { results, measuredFromEpochMs, environments: spread?.() };
}

/** The measured phase of a step: its per-second rows and harness samples after the warm-up. */
function measured(results, measuredFromEpochMs) {
  const series = seriesOf(results);
  const rows = series.perSecond.filter((r) => r.second >= WARM_UP_S);
  const sum = (field) => rows.reduce((n, r) => n + (r[field] ?? 0), 0);
  return {
    arrivals: sum('arrivals'),
    invocations: sum('invocations'),
    coldStarts: sum('coldStarts'),
    late: sum('late'),
    warmUpLate: series.perSecond.filter((r) => r.second < WARM_UP_S).reduce((n, r) => n + (r.late ?? 0), 0),
    // A sample covers the interval that ends at its time.
    samples: results.run.harness.samples.filter(
      (x) => x.atEpochMs - x.intervalMs >= measuredFromEpochMs - 50,
    ),
  };
}

const us = (v) => (v / 1000).toFixed(3);

function seriesOf(results) {
  return results.points[0].series[0];
}

async function overhead(rate, seconds) {
  const { results } = await runOnce('overhead', rate, seconds);
  const series = seriesOf(results);
  const o = summarizeHistogram(decodeHistogram(series.histograms.overheadUs.encoded));
  const l = series.histograms.clientLatencyUs.warm.summary;
  const d = series.histograms.durationUs.warm.summary;
  console.log(
    `\n1. overhead at ${rate}/s for ${seconds} s (${series.counters.invocations} invocations, warm only; ${provisionedFor(rate)} provisioned, ${series.counters.coldStarts} cold)`,
  );
  console.log('                          p50 ms    p99 ms');
  console.log(`  client latency      ${us(l.p50).padStart(10)}${us(l.p99).padStart(10)}`);
  console.log(`  function duration   ${us(d.p50).padStart(10)}${us(d.p99).padStart(10)}`);
  console.log(`  overhead            ${us(o.p50).padStart(10)}${us(o.p99).padStart(10)}`);
  const detail = `at ${rate}/s for ${seconds} s, ${series.counters.invocations} warm invocations`;
  return [
    row(
      'harness.overhead.p50',
      'overhead p50 (warm latency − function duration)',
      o.p50 / 1000,
      'ms',
      detail,
    ),
    row('harness.overhead.p99', 'overhead p99', o.p99 / 1000, 'ms', detail),
  ];
}

async function sustainedRate(rates, seconds, all) {
  console.log(
    `\n2. sustained arrival rate (${WARM_UP_S} s warm-up ramp from a tenth of the rate, then ${seconds} s measured; pass = in the measured seconds, event-loop delay p99 < 10 ms in every sample, no arrival fired > 10 ms late, nothing dropped)`,
  );
  console.log(
    '   CPU s: harness process (user+sys) and its environments (reaped children of the spawner), over the whole step, warm-up included',
  );
  console.log(
    "   envs: environments that used CPU in the measured seconds, and the busiest one's share of it (/proc, sampled every 250 ms)",
  );
  console.log(
    '   rate/s  provisioned  arrivals  invoked  cold  loop p99 max ms  cpu % max  late  late in warm-up  dropped  lag max ms  CPU s harness/envs  envs  busiest  pass',
  );
  let best = 0;
  for (const rate of rates) {
    const cpu0 = process.cpuUsage();
    const env0 = environmentsCpuS();
    const { results, measuredFromEpochMs, environments } = await runOnce(`rate-${rate}`, rate, seconds, {
      spread: true,
    });
    const cpu = process.cpuUsage(cpu0);
    const harnessS = (cpu.user + cpu.system) / 1e6;
    const envS = environmentsCpuS() - env0;
    const m = measured(results, measuredFromEpochMs);
    const loopMax = Math.max(0, ...m.samples.map((x) => x.loopDelayP99Ms));
    const cpuMax = Math.max(0, ...m.samples.map((x) => x.cpuPercent));
    const sched = results.points[0].scheduler;
    const pass = m.samples.length > 0 && loopMax < 10 && sched.dropped === 0 && m.late === 0;
    if (pass) best = rate;
    console.log(
      `   ${String(rate).padStart(6)}  ${String(provisionedFor(rate)).padStart(11)}  ${String(m.arrivals).padStart(8)}  ${String(m.invocations).padStart(7)}  ${String(m.coldStarts).padStart(4)}  ${loopMax.toFixed(1).padStart(15)}  ${cpuMax.toFixed(0).padStart(9)}  ${String(m.late).padStart(4)}  ${String(m.warmUpLate).padStart(15)}  ${String(sched.dropped).padStart(7)}  ${sched.maxLagMs.toFixed(1).padStart(10)}  ${`${harnessS.toFixed(1)}/${envS.toFixed(1)}`.padStart(18)}  ${String(environments.environments).padStart(4)}  ${`${(environments.busiestShare * 100).toFixed(0)}%`.padStart(7)}  ${pass ? 'pass' : 'FAIL'}`,
    );
    if (!pass && !all) break;
  }
  console.log(`   highest sustained rate: ${best}/s`);
  return [
    row(
      'harness.sustained-rate',
      'highest sustained arrival rate',
      best,
      '/s',
      `${WARM_UP_S} s warm-up, then ${seconds} s steps: ${rates.join(', ')}`,
    ),
  ];
}

/**
 * RSS over `total` invocations. A closed model (4 callers, no think time, 4 provisioned
 * environments) pushes as fast as the emulator answers without cold starts, so a million
 * invocations take minutes, not the hours an open model at a sustained rate would.
 */
async function memoryGrowth(total) {
  console.log(`\n3. harness RSS over ${total.toLocaleString('en')} invocations (closed model, 4 callers)`);
  const { scenario: s, plan } = await scenario('memory', 1, 1, '{ concurrency: 4, duration: 1h }');
  let recorder;
  let at100k;
  const handle = startRun({
    scenario: s,
    plan,
    outputDir: join(work, 'reports', 'memory'),
    onRecorder: (r) => {
      recorder = r;
    },
  });
  const started = performance.now();
  const mark = total / 10;
  const timer = setInterval(() => {
    const n = recorder?.snapshot().invocations ?? 0;
    if (at100k === undefined && n >= mark) at100k = process.memoryUsage().rss;
    if (n >= total) handle.abort(`${total} invocations`);
  }, 100);
  const results = (await handle.done).results;
  clearInterval(timer);
  const atEnd = process.memoryUsage().rss;
  const n = seriesOf(results).counters.invocations;
  const mb = (b) => (b / 1024 / 1024).toFixed(1);
  console.log(
    `  invocations          ${n.toLocaleString('en')} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(`  RSS after ${mark.toLocaleString('en')}       ${mb(at100k ?? Number.NaN)} MB`);
  console.log(`  RSS after ${n.toLocaleString('en')}       ${mb(atEnd)} MB`);
  console.log(`  growth               ${(((atEnd - at100k) / at100k) * 100).toFixed(1)}% (target < 10%)`);
  return [
    row(
      'harness.rss-growth',
      `harness RSS growth ${mark.toLocaleString('en')} → ${n.toLocaleString('en')} invocations`,
      ((atEnd - at100k) / at100k) * 100,
      '%',
      `${mb(at100k)} → ${mb(atEnd)} MB`,
    ),
  ];
}

export async function run(args, { smoke } = { smoke: false }) {
  console.log(
    `lambench harness benchmark — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`,
  );
  // Smoke: each part for about a second, a few thousand invocations for the memory part.
  WARM_UP_S = smoke ? 1 : Number(option(args, 'warm-up', 3));
  try {
    const rows = [];
    rows.push(...(await overhead(smoke ? 100 : Number(option(args, 'rate', 1500)), smoke ? 1 : 10)));
    const rates = smoke ? '100' : option(args, 'rates', '500,1000,1500,2000,2500,3000,4000');
    rows.push(
      ...(await sustainedRate(rates.split(',').map(Number), smoke ? 1 : 5, args.includes('--all-rates'))),
    );
    const total = smoke ? 3000 : Number(option(args, 'invocations', 1_000_000));
    if (total > 0) rows.push(...(await memoryGrowth(total)));
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
