// The machine's floors, measured in the same run as everything they are references for:
//   - a bare `node` start that loads the trivial handler module (the floor under any Node cold start);
//   - a keep-alive loopback HTTP round trip (the floor under an invoke that crosses a socket);
//   - a child-process IPC round trip (the floor under a tool that talks to its workers over IPC);
//   - one call of the ~20 ms CPU handler in this process (the floor under the CPU figures).
// Run: npm run bench -- limits [--starts 9] [--seconds 2] [--runs 3]
import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { elapsedMs, measureRate, median, spread } from './lib/measure.mjs';
import { option, row } from './lib/rows.mjs';

export const about = "the machine's floors: node start, loopback HTTP and IPC round trips, the CPU handler";

const FUNCTIONS = join(dirname(fileURLToPath(import.meta.url)), 'functions', 'peers');
export const TRIVIAL_HANDLER = join(FUNCTIONS, 'trivial.js');

/** Wall time of `node -e 'require(handler)'` until the process has exited. */
export function bareNodeStartMs(file = TRIVIAL_HANDLER) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(file)})`], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(elapsedMs(start)));
  });
}

/** A bare keep-alive node:http server answering a small JSON body. */
export async function rawHttpServer() {
  const answer = Buffer.from('{"statusCode":200,"body":"ok"}');
  const server = createServer({ keepAlive: true }, (req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
      res.end(answer);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

/** A raw keep-alive client: POST `{}`, drain the answer. */
export function httpPoster(port, path, maxSockets) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const body = Buffer.from('{}');
  const post = () =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

/** A child process that echoes every IPC message; `call()` is one round trip. */
function ipcEcho() {
  const child = spawn(process.execPath, ['-e', "process.on('message', (m) => process.send(m))"], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiting = new Map();
  let next = 0;
  child.on('message', (m) => {
    waiting.get(m.id)?.();
    waiting.delete(m.id);
  });
  const call = () =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      child.send({ id, payload: '{}' });
    });
  return { call, close: () => child.kill() };
}

export async function run(args, { smoke }) {
  const starts = smoke ? 2 : option(args, 'starts', 9);
  const seconds = smoke ? 0.15 : option(args, 'seconds', 2);
  const runs = smoke ? 1 : option(args, 'runs', 3);
  const warmup = smoke ? 50 : 3000;
  const rows = [];

  await bareNodeStartMs(); // page the node binary in
  const startMs = [];
  for (let i = 0; i < starts; i++) startMs.push(await bareNodeStartMs());
  rows.push(row('limits.node-start', 'bare node start + require(handler)', spread(startMs), 'ms'));
  console.log(`bare node start: median ${median(startMs).toFixed(1)} ms of ${starts}`);

  const server = await rawHttpServer();
  for (const c of [1, 4]) {
    const client = httpPoster(server.port, '/', c);
    const r = await measureRate(client.post, { concurrency: c, seconds, runs, warmup });
    client.close();
    rows.push(
      row(
        `limits.http.c${c}`,
        `keep-alive loopback HTTP c${c}`,
        r,
        '/s',
        `p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms`,
      ),
    );
    console.log(`raw HTTP c${c}: ${r.median.toFixed(0)}/s, p50 ${r.p50Ms.toFixed(3)} ms`);
  }
  await server.close();

  const ipc = ipcEcho();
  const r = await measureRate(ipc.call, { concurrency: 1, seconds, runs, warmup });
  ipc.close();
  rows.push(
    row(
      'limits.ipc.c1',
      'child-process IPC round trip c1',
      r,
      '/s',
      `p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms`,
    ),
  );
  console.log(`IPC c1: ${r.median.toFixed(0)}/s, p50 ${r.p50Ms.toFixed(3)} ms`);

  const cpu = createRequire(import.meta.url)(join(FUNCTIONS, 'cpu.js')).handler;
  const cpuMs = [];
  for (let i = 0; i < (smoke ? 2 : 25); i++) {
    const t = process.hrtime.bigint();
    await cpu();
    cpuMs.push(elapsedMs(t));
  }
  // The first calls run before the JIT has optimised the loop: they are warm-up.
  rows.push(row('limits.cpu-call', 'CPU handler, one direct call', spread(cpuMs.slice(smoke ? 0 : 5)), 'ms'));
  return rows;
}
