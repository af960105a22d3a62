// What waking an idle environment costs: one warm environment of a no-op function invoked back to
// back, then with a 1 ms and a 10 ms pause between invokes, and the CPU each invoke costs the
// environment (its process, from /proc) and the harness (this process). Back to back, both sides
// stay on CPU; with pauses, each invoke first wakes a sleeping process, which on some machines (a
// paravirtualised VM) costs more than the invoke itself. This is the floor under the open model's
// CPU per invoke in the harness part. The patterns are interleaved over the repeats.
// Run: npm run bench -- wakeups [--invokes 3000] [--repeat 3] [--memory 1769]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '../dist/emulator/index.js';
import { cpuBetween, descendantsCpu } from './lib/descendants-cpu.mjs';
import { option, row, spread, textRow } from './lib/rows.mjs';

export const about = 'CPU per invoke of an idle environment woken: back to back vs 1 ms and 10 ms apart';

const FUNCTIONS = join(dirname(fileURLToPath(import.meta.url)), 'functions');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pauses between invokes, ms (0: back to back), and the share of --invokes each pattern makes. */
const PATTERNS = [
  { name: 'b2b', label: 'back to back', gapMs: 0, share: 1 },
  { name: '1ms', label: '1 ms apart', gapMs: 1, share: 1 },
  { name: '10ms', label: '10 ms apart', gapMs: 10, share: 0.2 },
];

/** Invokes `count` times with `gapMs` between; µs of CPU per invoke, environment side and harness. */
async function measure(api, count, gapMs) {
  const fnBefore = descendantsCpu();
  const harnessBefore = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const out = await api.invoke({ functionName: 'noop', payload: '{}' });
    if (out.functionError || out.cold) throw new Error('a wake-up invoke was not a clean warm invoke');
    if (gapMs > 0) await sleep(gapMs);
  }
  const harness = process.cpuUsage(harnessBefore);
  const fnUs = cpuBetween(fnBefore, descendantsCpu());
  return {
    env: fnUs === undefined ? undefined : fnUs / count,
    harness: (harness.user + harness.system) / count,
  };
}

export async function run(args, { smoke = false } = {}) {
  const invokes = smoke ? 30 : option(args, 'invokes', 3000);
  const repeats = smoke ? 1 : option(args, 'repeat', 3);
  const memoryMB = option(args, 'memory', 1769);
  const api = await createEmulator({});
  const byPattern = new Map(PATTERNS.map((p) => [p.name, { env: [], harness: [] }]));
  try {
    await api.createFunction({
      functionName: 'noop',
      codeDir: FUNCTIONS,
      handler: 'noop.handler',
      runtime: 'nodejs20.x',
      memorySize: memoryMB,
    });
    // One environment, warmed up (its JIT and ours) before anything is counted.
    for (let i = 0; i < (smoke ? 10 : 500); i++) await api.invoke({ functionName: 'noop', payload: '{}' });
    console.log(
      `wakeups — one ${memoryMB} MB environment, cpu limiter ${api.cpuLimiter}, ${repeats} repeats`,
    );
    for (let r = 0; r < repeats; r++) {
      for (const p of PATTERNS) {
        const count = Math.max(10, Math.round(invokes * p.share));
        const m = await measure(api, count, p.gapMs);
        const at = byPattern.get(p.name);
        if (m.env !== undefined) at.env.push(m.env);
        at.harness.push(m.harness);
        console.log(
          `  ${p.label.padEnd(13)} ${String(count).padStart(5)} invokes: environment ${m.env?.toFixed(0) ?? '—'} µs, harness ${m.harness.toFixed(0)} µs CPU per invoke`,
        );
      }
    }
  } finally {
    await api.close();
  }
  const detail = `one ${memoryMB} MB environment, ${repeats} interleaved repeats; /proc ticks are 10 ms`;
  const rows = [];
  for (const p of PATTERNS) {
    const at = byPattern.get(p.name);
    rows.push(
      at.env.length > 0
        ? row(`wakeups.env.${p.name}`, `environment CPU per invoke, ${p.label}`, spread(at.env), 'µs', detail)
        : textRow(
            `wakeups.env.${p.name}`,
            `environment CPU per invoke, ${p.label}`,
            'not measurable here',
            'needs /proc/<pid>/task/<pid>/children',
          ),
      row(
        `wakeups.harness.${p.name}`,
        `harness CPU per invoke, ${p.label}`,
        spread(at.harness),
        'µs',
        detail,
      ),
    );
  }
  // The wake-up's price as a ratio to the same invoke back to back, from the same run.
  const env = (name) => byPattern.get(name).env;
  const b2b = env('b2b');
  if (b2b.length > 0 && b2b.every((v) => v > 0)) {
    const ratios = env('10ms').map((v, i) => v / b2b[i]);
    rows.push(
      row(
        'wakeups.env.ratio',
        'environment CPU per invoke, 10 ms apart ÷ back to back',
        spread(ratios),
        '×',
        detail,
      ),
    );
  } else {
    rows.push(
      textRow(
        'wakeups.env.ratio',
        'environment CPU per invoke, 10 ms apart ÷ back to back',
        'not measurable here',
        smoke ? 'smoke: too few invokes for /proc ticks' : 'no environment CPU read',
      ),
    );
  }
  return rows;
}
