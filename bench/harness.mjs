// Harness benchmark: what `lambench run` itself costs, against a no-op function on the embedded
// emulator, in one process as a user runs it.
//   1. overhead: warm client latency minus the function's own duration (p50/p99) at a moderate rate;
//   2. the highest arrival rate the harness sustains with event-loop delay p99 under 10 ms in every
//      sample, no arrival dropped and schedule lag under 10 ms;
//   3. harness RSS after 100k and after 1M invocations (growth target: under 10%).
// Run: npm run bench -- harness [--rate 1500] [--rates 500,1000,…] [--all-rates] [--invocations 1000000]
// (--all-rates: keep stepping after a failing rate.) Profile the harness at a rate with
// node --cpu-prof --cpu-prof-dir=prof bench/run.mjs harness --rates 3000 --invocations 0
// Everything stays on 127.0.0.1 and is bounded in count and time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeHistogram, summarizeHistogram } from '../dist/metrics/index.js';
import { startRun } from '../dist/run/run.js';
import { loadScenario, planRun } from '../dist/scenario/index.js';
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

/** A one-source scenario: `rate` arrivals/s for `seconds` into the no-op function. */
async function scenario(name, rate, seconds, load = `[{ duration: ${seconds}s, arrivalRate: ${rate} }]`) {
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

async function runOnce(name, rate, seconds, onRecorder) {
  const { scenario: s, plan } = await scenario(name, rate, seconds);
  const handle = startRun({
    scenario: s,
    plan,
    outputDir: join(work, 'reports', name),
    ...(onRecorder ? { onRecorder } : {}),
  });
  return (await handle.done).results;
}

const us = (v) => (v / 1000).toFixed(3);

function seriesOf(results) {
  return results.points[0].series[0];
}

async function overhead(rate, seconds) {
  const results = await runOnce('overhead', rate, seconds);
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
    `\n2. sustained arrival rate (${seconds} s per step; pass = event-loop delay p99 < 10 ms in every sample after the first, nothing dropped and no arrival fired > 10 ms late)`,
  );
  console.log(
    '   CPU s: harness process (user+sys) and its environments (reaped children of the spawner), over the whole step',
  );
  console.log(
    '   rate/s  provisioned  invocations  cold  loop p99 max ms  cpu % max  lag max ms  late  dropped  CPU s harness/envs  verdict  pass',
  );
  let best = 0;
  for (const rate of rates) {
    const cpu0 = process.cpuUsage();
    const env0 = environmentsCpuS();
    const results = await runOnce(`rate-${rate}`, rate, seconds);
    const cpu = process.cpuUsage(cpu0);
    const harnessS = (cpu.user + cpu.system) / 1e6;
    const envS = environmentsCpuS() - env0;
    // The first sample spans start-up (environments initialising, code compiling): not the steady state.
    const samples = results.run.harness.samples.slice(1);
    const loopMax = Math.max(0, ...samples.map((s) => s.loopDelayP99Ms));
    const cpuMax = Math.max(0, ...samples.map((s) => s.cpuPercent));
    const sched = results.points[0].scheduler;
    const pass = loopMax < 10 && sched.dropped === 0 && sched.lateOver10Ms === 0;
    const verdict = results.run.harness.verdict?.clean ? 'clean' : 'behind';
    if (pass) best = rate;
    const series = seriesOf(results);
    console.log(
      `   ${String(rate).padStart(6)}  ${String(provisionedFor(rate)).padStart(11)}  ${String(series.counters.invocations).padStart(11)}  ${String(series.counters.coldStarts).padStart(4)}  ${loopMax.toFixed(1).padStart(15)}  ${cpuMax.toFixed(0).padStart(9)}  ${sched.maxLagMs.toFixed(1).padStart(10)}  ${String(sched.lateOver10Ms).padStart(4)}  ${String(sched.dropped).padStart(7)}  ${`${harnessS.toFixed(1)}/${envS.toFixed(1)}`.padStart(18)}  ${verdict.padStart(7)}  ${pass ? 'pass' : 'FAIL'}`,
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
      `steps of ${seconds} s: ${rates.join(', ')}`,
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
