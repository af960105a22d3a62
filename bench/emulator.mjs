// Emulator benchmark: cold start of a trivial Node handler next to a bare `node -e require(handler)`,
// and warm invokes per second at concurrency 1 and 4 through the in-process API (the local target,
// lambench's own hot path) and through the HTTP API (a raw keep-alive node:http client, not the SDK),
// next to a raw keep-alive loopback HTTP server measured in the same run.
// Run: npm run bench -- emulator [--cold N] [--seconds S] [--warmup N] [--memory MB] [--limiter auto|off|…]
// Everything stays on 127.0.0.1 and is bounded in count and time.
// Suite contract (bench/lib/rows.mjs): run(args, { smoke }) returns the figures as rows.
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import hdr from 'hdr-histogram-js';
import { startHttpApi } from '../dist/emulator/http-server.js';
import { createEmulator } from '../dist/emulator/index.js';
import { createLocalTarget } from '../dist/targets/local.js';
import { elapsedMs, median } from './lib/measure.mjs';
import { option, row } from './lib/rows.mjs';
import { bareNodeStartMs, httpPoster, rawHttpServer } from './limits.mjs';

export const about = 'the embedded emulator: cold start, in-process and HTTP API (raw client) warm rates';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CODE_DIR = join(ROOT, 'test', 'fixtures', 'sam', 'functions');
const HANDLER_FILE = join(CODE_DIR, 'trivial.cjs');

/** A cold start as the caller sees it: a fresh function's first invoke (spawn, init, invoke). */
async function coldStart(api, i, memoryMB) {
  const name = `cold-${i}`;
  await api.createFunction({
    functionName: name,
    codeDir: CODE_DIR,
    handler: 'trivial.handler',
    runtime: nodeRuntime(),
    memorySize: memoryMB,
  });
  const start = process.hrtime.bigint();
  const out = await api.invoke({ functionName: name, payload: '{}' });
  const ms = elapsedMs(start);
  if (!out.cold || out.functionError) throw new Error(`cold start ${i} was not a clean cold start`);
  await api.deleteFunction(name);
  return { ms, initMs: out.report?.initDurationMs ?? Number.NaN };
}

function nodeRuntime() {
  const major = Number(process.versions.node.split('.')[0]);
  return `nodejs${[20, 22, 24].filter((v) => v <= major).at(-1) ?? 20}.x`;
}

/** Closed loop: `concurrency` workers call `call()` back to back for `seconds`; latency in µs. */
async function closedLoop(call, concurrency, seconds) {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let count = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      const t = process.hrtime.bigint();
      await call();
      histogram.recordValue(Math.max(1, Number((process.hrtime.bigint() - t) / 1000n)));
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const result = {
    perSecond: count / wallS,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  };
  histogram.destroy();
  return result;
}

async function warmUp(call, n, concurrency) {
  let left = n;
  const worker = async () => {
    while (left-- > 0) await call();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A raw keep-alive HTTP client: POST a small body, drain the answer. */
const fmt = (n, d = 0) => n.toFixed(d).padStart(9);

export async function run(args, { smoke } = { smoke: false }) {
  const coldRuns = smoke ? 1 : option(args, 'cold', 7);
  const seconds = smoke ? 0.1 : option(args, 'seconds', 3);
  const warmupCalls = smoke ? 20 : option(args, 'warmup', 3000);
  const memoryMB = option(args, 'memory', 1769);
  const limiterAt = args.indexOf('--limiter');
  const cpuLimiter = limiterAt >= 0 ? args[limiterAt + 1] : 'auto';
  console.log(
    `lambench emulator benchmark — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`,
  );
  console.log(
    `functions at ${memoryMB} MB; ${coldRuns} cold starts; warm windows of ${seconds} s after ${warmupCalls} warm-up calls\n`,
  );

  const api = await createEmulator({ cpuLimiter });
  console.log(`cpu limiter: ${api.cpuLimiter}`);

  // Cold starts, interleaved with bare node starts so both see the same machine load.
  const cold = [];
  const bare = [];
  await bareNodeStartMs(HANDLER_FILE); // page the node binary in
  for (let i = 0; i < coldRuns; i++) {
    bare.push(await bareNodeStartMs(HANDLER_FILE));
    cold.push(await coldStart(api, i, memoryMB));
  }
  const coldMs = median(cold.map((c) => c.ms));
  const bareMs = median(bare);
  console.log('\ncold start (median)            ms');
  console.log(
    `  emulator first invoke  ${fmt(coldMs, 1)}   (REPORT Init Duration median ${median(cold.map((c) => c.initMs)).toFixed(1)} ms)`,
  );
  console.log(`  bare node -e require   ${fmt(bareMs, 1)}`);

  // Warm invokes.
  await api.createFunction({
    functionName: 'warm',
    codeDir: CODE_DIR,
    handler: 'trivial.handler',
    runtime: nodeRuntime(),
    memorySize: memoryMB,
  });
  const target = createLocalTarget({ api, ownsApi: false });
  const request_ = { functionName: 'warm', qualifier: '$LATEST', payload: '{}', type: 'RequestResponse' };
  const inProcess = async () => {
    const r = await target.invoke(request_);
    if (r.status !== 'ok') throw new Error(`invoke failed: ${r.status} ${r.errorType ?? ''}`);
  };
  const http = await startHttpApi(api);
  const viaHttp = httpPoster(Number(new URL(http.url).port), '/2015-03-31/functions/warm/invocations', 4);
  const raw = await rawHttpServer();
  const viaRaw = httpPoster(raw.port, '/', 4);

  const rows = [];
  for (const [label, call] of [
    ['in-process API (local target)', inProcess],
    ['HTTP API (raw keep-alive client)', viaHttp.post],
    ['raw keep-alive HTTP server', viaRaw.post],
  ]) {
    for (const c of [1, 4]) {
      await warmUp(call, warmupCalls, c);
      rows.push({ label, c, ...(await closedLoop(call, c, seconds)) });
    }
  }
  console.log('\nwarm invokes                          conc   per s    p50 ms   p99 ms');
  for (const r of rows) {
    console.log(
      `  ${r.label.padEnd(34)} ${String(r.c).padStart(4)} ${fmt(r.perSecond)} ${fmt(r.p50Ms, 3)} ${fmt(r.p99Ms, 3)}`,
    );
  }
  const rate = (label, c) =>
    rows.find((r) => r.label.startsWith(label) && r.c === c)?.perSecond ?? Number.NaN;
  const coldRatio = coldMs / bareMs;
  const warmRatio = rate('in-process', 4) / rate('raw', 4);
  console.log('\nratios');
  console.log(
    `  cold / bare                 ${coldRatio.toFixed(2)}  (target ≤ 1.2) ${coldRatio <= 1.2 ? 'met' : 'MISSED'}`,
  );
  console.log(
    `  in-process c4 / raw c4      ${warmRatio.toFixed(2)}  (target ≥ 0.3) ${warmRatio >= 0.3 ? 'met' : 'MISSED'}`,
  );
  console.log(`  HTTP API c4 / raw c4        ${(rate('HTTP', 4) / rate('raw', 4)).toFixed(2)}`);

  viaHttp.close();
  viaRaw.close();
  await raw.close();
  await http.close();
  await api.close();

  const key = { 'in-process': 'in-process', HTTP: 'http-api', raw: 'raw-http' };
  return [
    row(
      'emulator.cold',
      'cold start (first invoke of a new function)',
      coldMs,
      'ms',
      `median of ${coldRuns}`,
    ),
    row('emulator.bare', 'bare node -e require, interleaved', bareMs, 'ms'),
    row('emulator.cold-ratio', 'cold / bare node start', coldRatio, '×'),
    ...rows.map((r) =>
      row(
        `emulator.${key[r.label.split(' ')[0]]}.c${r.c}`,
        `${r.label} c${r.c}`,
        r.perSecond,
        '/s',
        `p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms`,
      ),
    ),
  ];
}
