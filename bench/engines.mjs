// Engines benchmark: the same no-op scenario through lambench's own engine (`lambench run`) and
// through Artillery with lambench's engine (`artillery run`, Artillery 2.0.21 from the cache folder
// scripts/install-artillery.mjs fills), as separate processes, as a user runs them.
//   1. harness CPU per invocation: the load generator process's own CPU (user + system, from
//      /proc/<pid>/stat, function environments excluded), from two run lengths at the same rate so
//      start-up cost cancels: (CPU long − CPU short) / (invocations long − invocations short);
//   2. latency side by side (warm p50/p99 of the long runs);
//   3. the highest rate each sustains for 5 s: every arrival invoked and warm p50 under 20 ms (the
//      generator keeps up, nothing queues); p99 is printed beside it.
// Medians of --repeat runs. Run: npm run bench -- engines [--rates 100,400] [--repeat 3]
//   [--steps 100,200,400,800,1600]
// Everything stays on 127.0.0.1 and is bounded in count and time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installArtillery } from '../scripts/install-artillery.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const TICK_MS = 10; // getconf CLK_TCK is 100 on Linux
const work = mkdtempSync(join(tmpdir(), 'lambench-engines-'));

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

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

export async function run(args) {
  const rates = option(args, 'rates', '100,400').split(',').map(Number);
  const repeat = Number(option(args, 'repeat', '3'));
  const steps = option(args, 'steps', '100,200,400,800,1600').split(',').map(Number);
  const short = 3;
  const long = 13;
  const bin = installArtillery();
  console.log(
    `engines benchmark: no-op function at 1769 MB, provisioned 4; runs of ${short} s and ${long} s; medians of ${repeat}`,
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
          perInvocation.push(((l.cpuMs - s.cpuMs) * 1000) / (l.invocations - s.invocations));
          p50.push(l.p50Ms);
          p99.push(l.p99Ms);
          console.log(
            `  ${engine} ${rate}/s run ${i + 1}: CPU ${s.cpuMs} ms (${s.invocations} inv) / ${l.cpuMs} ms (${l.invocations} inv) → ${perInvocation.at(-1).toFixed(0)} µs/inv; warm p50 ${l.p50Ms.toFixed(2)} ms p99 ${l.p99Ms.toFixed(2)} ms`,
          );
        }
        perEngine[engine] = { us: median(perInvocation), p50: median(p50), p99: median(p99) };
      }
      const { lambench: n, artillery: a } = perEngine;
      console.log(
        `${rate}/s: harness CPU per invocation — lambench ${n.us.toFixed(0)} µs, Artillery ${a.us.toFixed(0)} µs (ratio ${(n.us / a.us).toFixed(2)}); warm p50/p99 — lambench ${n.p50.toFixed(2)}/${n.p99.toFixed(2)} ms, Artillery ${a.p50.toFixed(2)}/${a.p99.toFixed(2)} ms`,
      );
    }
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
      console.log(`${engine}: highest sustained rate ${best}/s (of steps ${steps.join(', ')})`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
