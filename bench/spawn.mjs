// What one cold start costs the harness's event loop: spawning an environment process directly
// from a harness-sized process (child_process.spawn forks it: the kernel copies the page tables of
// its ~150 MB) against asking the spawner process to do it (one IPC message; the output arrives on
// Unix sockets). The loop stall is the longest gap a 1 ms heartbeat sees around each spawn, next to
// the same window with no spawn (the machine's own noise).
// Run: npm run bench -- spawn [--spawns 15] [--heap-mb 150]
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { Spawner } from '../dist/emulator/spawner/client.js';
import { option, row } from './lib/rows.mjs';

export const about = 'event-loop stall per cold start: spawning from the harness vs through the spawner';

const CHILD = ['-e', 'setTimeout(() => {}, 100)'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `start()` and returns the worst heartbeat gap (ms) from just before it until it settles + 20 ms. */
async function stallOf(start) {
  let last = performance.now();
  let worst = 0;
  const beat = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  }, 1);
  await sleep(5);
  worst = 0;
  last = performance.now();
  const exited = await start();
  await sleep(20);
  clearInterval(beat);
  await exited;
  return worst;
}

function direct() {
  const child = spawn(process.execPath, CHILD, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.resume();
  child.stderr.resume();
  return Promise.resolve(new Promise((resolve) => child.once('exit', resolve)));
}

function viaSpawner(spawner) {
  return new Promise((resolveStarted) => {
    const exited = new Promise((resolveExit) => {
      spawner
        .spawn(
          { command: process.execPath, args: CHILD, cwd: process.cwd(), env: { ...process.env } },
          { output() {}, exit: () => resolveExit() },
        )
        .then(() => resolveStarted(exited));
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function run(args, { smoke = false } = {}) {
  const spawns = smoke ? 2 : option(args, 'spawns', 15);
  const heapMb = smoke ? 20 : option(args, 'heap-mb', 150);
  // Ballast: a harness's heap (recorder, modules, events) touched so its pages are really mapped.
  const ballast = [];
  for (let i = 0; i < heapMb; i++) ballast.push(Buffer.alloc(1024 * 1024, i));
  const rssMb = (process.memoryUsage().rss / 1024 / 1024).toFixed(0);
  console.log(
    `spawn stall — node ${process.version}, ${cpus().length} cores, this process RSS ${rssMb} MB, ${spawns} spawns each way, interleaved`,
  );
  const spawner = new Spawner();
  await stallOf(() => viaSpawner(spawner)); // starts the spawner itself: not counted
  const a = [];
  const b = [];
  const idle = [];
  for (let i = 0; i < spawns; i++) {
    a.push(await stallOf(direct));
    b.push(await stallOf(() => viaSpawner(spawner)));
    // The reference: the same window with no spawn at all (what the machine alone does to a 1 ms timer).
    idle.push(await stallOf(() => sleep(100)));
  }
  await spawner.close();
  const fmt = (xs) =>
    `median ${median(xs).toFixed(2)} ms, min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)}`;
  console.log(`  child_process.spawn in this process: ${fmt(a)}`);
  console.log(`  through the spawner process:         ${fmt(b)}`);
  console.log(`  no spawn (reference, same window):   ${fmt(idle)}`);
  console.log(`  ratio of medians: ${(median(a) / median(b)).toFixed(1)}x`);
  ballast.length = 0;
  const spread = (xs) => ({
    median: median(xs),
    min: Math.min(...xs),
    max: Math.max(...xs),
    runs: xs.length,
  });
  const detail = `${spawns} spawns each, interleaved, from a ${rssMb} MB process`;
  return [
    row(
      'spawn.stall.direct',
      'loop stall per cold start, child_process.spawn in the harness',
      spread(a),
      'ms',
      detail,
    ),
    row('spawn.stall.spawner', 'loop stall per cold start, through the spawner', spread(b), 'ms', detail),
    row(
      'spawn.stall.idle',
      'loop stall in the same window with no spawn (reference)',
      spread(idle),
      'ms',
      detail,
    ),
  ];
}
