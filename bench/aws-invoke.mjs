// aws-invoke benchmark: what one Invoke costs the harness on the aws target's two paths — the SDK's
// InvokeCommand and the SigV4-signed keep-alive undici pool — next to a raw keep-alive HTTP POST of
// the same request (no signing, no parsing) measured in the same run, all against `lambench serve`
// in another process. The figure that matters is client CPU per invoke (process.cpuUsage of this
// process, which does nothing else): 1e6 / that is how many invokes/s one harness core can drive.
// Throughput is printed too, but it is bounded by the emulator on the other core.
// Run: npm run bench -- aws-invoke [--invokes N] [--rounds R] [--concurrency C]
// Loopback only, bounded in count. Rows follow bench/lib/rows.mjs.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { invokeClient } from '../dist/targets/aws/clients.js';
import { createHttpInvoker } from '../dist/targets/aws/invoke-http.js';
import { createSdkInvoker } from '../dist/targets/aws/invoke-sdk.js';
import { median, spread } from './lib/measure.mjs';
import { option, row } from './lib/rows.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

export const about =
  'aws target Invoke path: client CPU per invoke of the signed undici pool and the SDK InvokeCommand vs a raw keep-alive POST, against lambench serve';

function startServe() {
  const proc = spawn(
    process.execPath,
    [CLI, 'serve', join(ROOT, 'scenarios', 'quickstart.yaml'), '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], proc });
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

/** A raw keep-alive POST of an Invoke: the floor any client pays for the round trip. */
function rawInvoker(url, connections) {
  const pool = new Pool(url, { connections, keepAliveTimeout: 60_000 });
  return {
    async invoke() {
      const res = await pool.request({
        method: 'POST',
        path: '/2015-03-31/functions/hello/invocations?Qualifier=%24LATEST',
        headers: { 'content-type': 'application/json', 'x-amz-log-type': 'Tail' },
        body: '{"name":"bench"}',
      });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`raw invoke: status ${res.statusCode}`);
      return { status: 'ok' };
    },
    close: () => pool.close(),
  };
}

/** `count` invokes, `concurrency` at a time; client CPU µs per invoke and invokes/s. */
async function measure(invoker, count, concurrency) {
  const req = {
    functionName: 'hello',
    qualifier: '$LATEST',
    payload: '{"name":"bench"}',
    type: 'RequestResponse',
  };
  let next = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      next++;
      const r = await invoker.invoke(req);
      if (r.status !== 'ok') failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  if (failed > 0) throw new Error(`${failed} of ${count} invokes failed`);
  return { cpuUsPerInvoke: (cpu.user + cpu.system) / count, perSecond: count / wallS };
}

export async function run(args, { smoke } = { smoke: false }) {
  const invokes = option(args, 'invokes', smoke ? 200 : 5000);
  const rounds = option(args, 'rounds', smoke ? 1 : 5);
  const concurrency = option(args, 'concurrency', 8);
  const warmup = smoke ? 100 : 1000;
  // The SDK's notice about its 2027 releases needing Node 22 does not apply to the pinned version.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const serve = await startServe();
  const paths = {
    raw: rawInvoker(serve.url, concurrency),
    signed: createHttpInvoker({
      endpoint: serve.url,
      region: 'us-east-1',
      credentials: async () => CREDENTIALS,
      connections: concurrency,
    }),
    sdk: createSdkInvoker(
      invokeClient(
        { endpoint: serve.url, region: 'us-east-1', credentials: async () => CREDENTIALS },
        concurrency,
      ),
    ),
  };
  try {
    // Warm-up: environments started, JIT warm, connections open.
    for (const invoker of Object.values(paths)) await measure(invoker, warmup, concurrency);
    const figures = { raw: [], signed: [], sdk: [] };
    for (let r = 0; r < rounds; r++) {
      // Interleaved, so a noisy neighbour hits every path alike.
      for (const [name, invoker] of Object.entries(paths))
        figures[name].push(await measure(invoker, invokes, concurrency));
    }
    const rawCpu = median(figures.raw.map((f) => f.cpuUsPerInvoke));
    console.log(
      `aws-invoke: ${rounds} rounds × ${invokes} invokes at concurrency ${concurrency}, lambench serve in another process`,
    );
    console.log(
      'path     client CPU µs/invoke (median)  × raw   invokes/s per core   measured invokes/s (median)',
    );
    for (const [name, fs] of Object.entries(figures)) {
      const cpu = median(fs.map((f) => f.cpuUsPerInvoke));
      const rate = median(fs.map((f) => f.perSecond));
      console.log(
        `${name.padEnd(8)} ${cpu.toFixed(1).padStart(30)}  ${(cpu / rawCpu).toFixed(2).padStart(5)}  ${Math.round(
          1e6 / cpu,
        )
          .toString()
          .padStart(19)}  ${Math.round(rate).toString().padStart(27)}`,
      );
      console.log(`         rounds: ${fs.map((f) => f.cpuUsPerInvoke.toFixed(1)).join(', ')} µs`);
    }
    const rows = [];
    for (const [name, fs] of Object.entries(figures)) {
      const cpu = fs.map((f) => f.cpuUsPerInvoke);
      rows.push(row(`aws-invoke.${name}.cpu-us`, `${name} invoke: client CPU per call`, spread(cpu), 'µs'));
      rows.push(
        row(
          `aws-invoke.${name}.per-core`,
          `${name} invoke: calls/s one harness core can drive`,
          spread(cpu.map((c) => 1e6 / c)),
          '/s',
        ),
      );
      if (name !== 'raw') {
        rows.push(
          row(
            `aws-invoke.${name}.ratio`,
            `${name} invoke: client CPU × raw keep-alive POST`,
            spread(cpu.map((c, i) => c / figures.raw[i].cpuUsPerInvoke)),
            '×',
          ),
        );
      }
      rows.push(
        row(
          `aws-invoke.${name}.rate`,
          `${name} invoke: measured calls/s (emulator-bound)`,
          spread(fs.map((f) => f.perSecond)),
          '/s',
        ),
      );
    }
    return rows;
  } finally {
    for (const invoker of Object.values(paths)) await invoker.close();
    serve.proc.kill('SIGTERM');
  }
}
