// Engines benchmark: the same no-op scenario through lambench's own engine (`lambench run`) and
// through Artillery with lambench's engine (`artillery run`, Artillery 2.0.21 from the cache folder
// scripts/install-artillery.mjs fills), as separate processes, as a user runs them.
//   1. harness CPU per invocation: the load generator process's own CPU (user + system, from
//      /proc/<pid>/stat, function environments excluded), from two run lengths at the same rate so
//      start-up cost cancels: (CPU long − CPU short) / (invocations long − invocations short);
//   2. latency side by side (warm p50/p99 of the long runs);
//   3. the highest rate each sustains for 5 s: every arrival invoked and warm p50 under 20 ms (the
//      generator keeps up, nothing queues); p99 is printed beside it.
// Medians of --repeat runs. Run: npm run bench -- engines [--rates 100,400,1000] [--repeat 3]
//   [--steps 200,400,800,1600,3200] (`--rates none` or `--steps none` skips that part). With --smoke: one short pair at 50/s, no steps (not a measurement).
// Everything stays on 127.0.0.1 and is bounded in count and time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installArtillery } from '../scripts/install-artillery.mjs';
import { option, row, spread } from './lib/rows.mjs';

export const about =
  'lambench run vs artillery run with the lambench engine: harness CPU per invocation, latency, sustained rate';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const TICK_MS = 10; // getconf CLK_TCK is 100 on Linux
const work = mkdtempSync(join(tmpdir(), 'lambench-engines-'));

/** The no-op scenario at `rate`/s for `seconds`, with warm environments before the first arrival. */
function scenario(name, rate, seconds) {
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
      '    provisioned: 4',
      'sources:',
      '  direct:',
      '    invoke: {}',
      '    to: noop',
      '    maxInFlight: 10000',
      `    load: [{ duration: ${seconds}s, arrivalRate: ${rate} }]`,
      'run:',
      '  grace: 10s',
    ].join('\n'),
  );
  return file;
}

/** Runs `node args…`, sampling the process's own CPU (ms) until it exits. */
function measured(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let cpuMs = 0;
    const sample = () => {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based).
        cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
      } catch {
        // Exited between samples: the last reading stands (at most one interval short).
      }
    };
    const timer = setInterval(sample, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${args.slice(0, 3).join(' ')} exited ${code}: ${stderr}`));
      else resolve({ cpuMs });
    });
  });
}

const engines = {
  /** lambench run: invocations and warm latency from results.json. */
  async lambench(name, rate, seconds) {
    const out = join(work, 'out', name);
    const { cpuMs } = await measured(
      [CLI, 'run', scenario(name, rate, seconds), '--no-progress', '--output', out],
      process.env,
    );
    const series = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).points[0].series[0];
    const warm = series.histograms.clientLatencyUs.warm?.summary;
    return {
      cpuMs,
      invocations: series.counters.invocations,
      p50Ms: warm.p50 / 1000,
      p99Ms: warm.p99 / 1000,
    };
  },
  /** artillery run with the engine: invocations and warm latency from Artillery's report. */
  async artillery(name, rate, seconds, bin) {
    const script = join(work, `${name}.artillery.yaml`);
    const report = join(work, `${name}.report.json`);
    writeFileSync(
      script,
      [
        'config:',
        '  target: lambench://local',
        `  phases: [{ duration: ${seconds}, arrivalRate: ${rate} }]`,
        `  engines: { lambench: { scenario: ${scenario(name, rate, seconds)} } }`,
        'scenarios:',
        '  - engine: lambench',
        '    flow: [{ lambench: { source: direct } }]',
      ].join('\n'),
    );
    const env = {
      ...process.env,
      NODE_PATH: join(ROOT, 'packages'),
      LAMBENCH_LIBRARY: join(ROOT, 'dist', 'index.js'),
      ARTILLERY_DISABLE_TELEMETRY: '1',
    };
    const { cpuMs } = await measured([bin, 'run', script, '--output', report], env);
    const a = JSON.parse(readFileSync(report, 'utf8')).aggregate;
    const warm = a.summaries['lambench.noop.1769.warm_latency'];
    return { cpuMs, invocations: a.counters['lambench.invocations'] ?? 0, p50Ms: warm.p50, p99Ms: warm.p99 };
  },
};

export async function run(args, { smoke } = { smoke: false }) {
  // `none` skips a part, so a long measurement can be split into short quiet runs.
  const list = (text) => (text === 'none' ? [] : text.split(',').map(Number));
  const rates = list(smoke ? '50' : option(args, 'rates', '100,400,1000'));
  const repeat = smoke ? 1 : Number(option(args, 'repeat', '3'));
  const steps = smoke ? [] : list(option(args, 'steps', '200,400,800,1600,3200'));
  const short = smoke ? 1 : 3;
  const long = smoke ? 2 : 13;
  const bin = installArtillery((line) => console.log(line));
  const rows = [];
  console.log(
    `engines: no-op function at 1769 MB, provisioned 4; runs of ${short} s and ${long} s; medians of ${repeat}`,
  );
  try {
    for (const rate of rates) {
      const perEngine = {};
      for (const [engine, go] of Object.entries(engines)) {
        const perInvocation = [];
        const p50 = [];
        const p99 = [];
        for (let i = 0; i < repeat; i++) {
          const s = await go(`${engine}-${rate}-short-${i}`, rate, short, bin);
          const l = await go(`${engine}-${rate}-long-${i}`, rate, long, bin);
          perInvocation.push(((l.cpuMs - s.cpuMs) * 1000) / Math.max(1, l.invocations - s.invocations));
          p50.push(l.p50Ms);
          p99.push(l.p99Ms);
          console.log(
            `  ${engine} ${rate}/s run ${i + 1}: CPU ${s.cpuMs} ms (${s.invocations} inv) / ${l.cpuMs} ms (${l.invocations} inv) → ${perInvocation.at(-1).toFixed(0)} µs/inv; warm p50 ${l.p50Ms.toFixed(2)} ms p99 ${l.p99Ms.toFixed(2)} ms`,
          );
        }
        perEngine[engine] = spread(perInvocation);
        rows.push(
          row(
            `engines.${engine}.cpu-per-invocation.${rate}`,
            `${engine}: harness CPU per invocation at ${rate}/s`,
            spread(perInvocation),
            'µs',
          ),
        );
        rows.push(
          row(
            `engines.${engine}.warm-p50.${rate}`,
            `${engine}: warm latency p50 at ${rate}/s`,
            spread(p50),
            'ms',
          ),
        );
        rows.push(
          row(
            `engines.${engine}.warm-p99.${rate}`,
            `${engine}: warm latency p99 at ${rate}/s`,
            spread(p99),
            'ms',
          ),
        );
      }
      const ratio = perEngine.lambench.median / perEngine.artillery.median;
      rows.push(
        row(
          `engines.cpu-ratio.${rate}`,
          `lambench ÷ Artillery harness CPU per invocation at ${rate}/s`,
          ratio,
          '×',
        ),
      );
      console.log(
        `${rate}/s: harness CPU per invocation — lambench ${perEngine.lambench.median.toFixed(0)} µs, Artillery ${perEngine.artillery.median.toFixed(0)} µs (ratio ${ratio.toFixed(2)})`,
      );
    }
    if (steps.length > 0) {
      for (const [engine, go] of Object.entries(engines)) {
        let best = 0;
        for (const rate of steps) {
          const r = await go(`${engine}-step-${rate}`, rate, 5, bin);
          const ok = r.invocations === rate * 5 && r.p50Ms < 20;
          console.log(
            `  ${engine} ${rate}/s for 5 s: ${r.invocations}/${rate * 5} invoked, warm p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms → ${ok ? 'sustained' : 'not sustained'}`,
          );
          if (!ok) break;
          best = rate;
        }
        rows.push(
          row(
            `engines.${engine}.sustained`,
            `${engine}: highest sustained rate (steps ${steps.join(', ')})`,
            best,
            '/s',
          ),
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
