/**
 * The spawner: a small long-lived process that starts execution environments for the emulator.
 *
 * Forking from the emulator's process costs its event loop 7-18 ms per cold start (the kernel
 * copies the page tables of a ~150 MB process); forking from this one costs the emulator one IPC
 * message. Each environment's stdout and stderr are Unix socket connections to the emulator, so its
 * output never passes through here. When the emulator goes away — closed, crashed or SIGKILLed,
 * which closes the IPC channel — every environment started here is killed, frozen ones included
 * (SIGKILL ends a stopped process), and the emulator's cgroup folder is removed: nothing outlives it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { type FromSpawner, outputHeader, type SpawnRequest, type ToSpawner } from './protocol.js';

const socketPath = process.argv[2];
const children = new Map<number, ChildProcess>();
let cgroupRoot: string | undefined;
let orphaned = false;

function send(message: FromSpawner): void {
  if (process.connected) process.send?.(message);
}

/** Opens one output connection to the emulator and writes its header; resolves once written. */
function openOutput(id: number, stream: 'out' | 'err'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath as string);
    socket.once('error', reject);
    socket.once('connect', () => socket.write(outputHeader(id, stream), () => resolve(socket)));
  });
}

async function start(req: SpawnRequest): Promise<void> {
  let out: Socket | undefined;
  let err: Socket | undefined;
  try {
    [out, err] = await Promise.all([openOutput(req.id, 'out'), openOutput(req.id, 'err')]);
    if (orphaned) return;
    // Its own process group, so the emulator can freeze and kill it with everything it starts.
    const child = spawn(req.command, req.args, {
      cwd: req.cwd,
      env: req.env,
      stdio: ['ignore', out, err],
      detached: true,
    });
    child.once('error', (e: NodeJS.ErrnoException) => {
      send({
        t: 'error',
        id: req.id,
        message: e.message,
        ...(e.code === undefined ? {} : { code: e.code }),
        ...(e.syscall === undefined ? {} : { syscall: e.syscall }),
      });
    });
    if (child.pid === undefined) return; // 'error' follows
    const pid = child.pid;
    children.set(pid, child);
    if (req.cgroup !== undefined) {
      try {
        writeFileSync(join(req.cgroup, 'cgroup.procs'), String(pid));
      } catch {
        // The emulator falls back to no limit for it; its exit still cleans the group up.
      }
    }
    child.once('exit', (code, signal) => {
      children.delete(pid);
      send({ t: 'exit', id: req.id, code, signal });
      if (orphaned && children.size === 0) finish();
    });
    send({ t: 'spawned', id: req.id, pid });
  } catch (e) {
    send({ t: 'error', id: req.id, message: (e as Error).message });
  } finally {
    // The child holds its own copies; ours would only keep the connections open after it exits.
    out?.destroy();
    err?.destroy();
  }
}

/** The emulator is gone: kill every environment (process group), then clean up and exit. */
function orphan(): void {
  if (orphaned) return;
  orphaned = true;
  for (const pid of children.keys()) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  if (children.size === 0) finish();
  // A child that does not report its exit must not keep this process alive.
  setTimeout(finish, 5_000).unref();
}

function finish(): void {
  if (cgroupRoot !== undefined) removeCgroup(cgroupRoot);
  try {
    unlinkSync(socketPath as string);
  } catch {
    // The emulator removed it.
  }
  process.exit(0);
}

/** Removes the emulator's cgroup folder: its per-environment groups first (empty by now). */
function removeCgroup(root: string): void {
  try {
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory()) rmdirQuiet(join(root, entry.name));
    }
  } catch {
    // Already removed by the emulator.
  }
  rmdirQuiet(root);
}

function rmdirQuiet(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Busy or gone: nothing more to do here.
  }
}

process.on('message', (message: ToSpawner) => {
  if (message.t === 'spawn') void start(message);
  else if (message.t === 'cgroup') cgroupRoot = message.root;
});
process.on('disconnect', orphan);
// Signals meant for the terminal's foreground group do not reach this detached process; one sent to
// it directly still must not leave environments behind.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, orphan);
if (!process.connected) orphan();
