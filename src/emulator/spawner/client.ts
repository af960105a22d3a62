/**
 * The emulator's side of the spawner (see main.ts): one spawner process per emulator process,
 * started on the first cold start. `spawn` sends one IPC message and resolves with the pid; the
 * environment's stdout and stderr arrive as Unix socket connections to a server here, named by a
 * header line, and its exit is reported once both have ended (so output written just before a
 * crash is read before the exit is handled, as with a child's own pipes).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FromSpawner, parseOutputHeader, type ToSpawner } from './protocol.js';

export interface SpawnCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** A cgroup folder the spawner moves the process into (the write blocks its loop, not ours). */
  cgroup?: string;
}

export interface SpawnHandlers {
  output(chunk: Buffer, stream: 'out' | 'err'): void;
  /** Once, after the process exited and its output connections closed. */
  exit(code: number | null, signal: string | null): void;
}

/** A spawn that failed as child_process.spawn would report it (ENOENT, EACCES, …). */
export class SpawnError extends Error {
  readonly code: string | undefined;
  readonly syscall: string | undefined;
  constructor(message: string, code?: string, syscall?: string) {
    super(message);
    this.code = code;
    this.syscall = syscall;
  }
}

/** After an exit, how long output connections still held open (by a grandchild) are waited for. */
const OUTPUT_DRAIN_MS = 100;

interface Entry {
  handlers: SpawnHandlers;
  pid?: number;
  started: (pid: number) => void;
  failed: (error: SpawnError) => void;
  ended: number;
  exit?: { code: number | null; signal: string | null };
  drainTimer?: NodeJS.Timeout;
  done: boolean;
}

export class Spawner {
  readonly #entries = new Map<number, Entry>();
  #nextId = 1;
  #running: Promise<{ child: ChildProcess; server: Server; path: string }> | undefined;
  #child: ChildProcess | undefined;
  #cgroupRoot: string | undefined;

  /** Starts a process; resolves with its pid, or rejects with SpawnError. */
  async spawn(cmd: SpawnCommand, handlers: SpawnHandlers): Promise<number> {
    const { child } = await this.#start();
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      this.#entries.set(id, { handlers, started: resolve, failed: reject, ended: 0, done: false });
      this.#holdOpen();
      this.#send(child, { t: 'spawn', id, ...cmd });
    });
  }

  /** The cgroup folder the spawner removes if this process dies without cleaning up. */
  setCgroupRoot(root: string): void {
    this.#cgroupRoot = root;
    void this.#running?.then(({ child }) => this.#send(child, { t: 'cgroup', root }));
  }

  /** Pids of the processes started and not yet reported exited. */
  livePids(): number[] {
    return [...this.#entries.values()].flatMap((e) => (e.pid !== undefined && !e.exit ? [e.pid] : []));
  }

  /** Stops the spawner (it kills whatever it still runs); the next spawn starts a new one. */
  async close(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    this.#child = undefined;
    if (!running) return;
    const { child, server, path } = await running;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    // Waiting for it to go keeps this process alive until it has.
    child.ref();
    child.disconnect();
    await exited;
    server.close();
    unlinkQuiet(path);
  }

  #start(): Promise<{ child: ChildProcess; server: Server; path: string }> {
    this.#running ??= this.#launch();
    return this.#running;
  }

  async #launch(): Promise<{ child: ChildProcess; server: Server; path: string }> {
    const path = join(tmpdir(), `lambench-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
    const server = createServer((socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    server.unref();
    // Its own process group: Ctrl-C reaches the emulator, which stops environments in order; the
    // spawner only acts when the emulator is gone. A small heap keeps its own forks cheap.
    const child = fork(spawnerMain(), [path], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      detached: true,
      execArgv: ['--max-old-space-size=64'],
      serialization: 'json',
    });
    this.#child = child;
    child.on('message', (m: FromSpawner) => this.#receive(m));
    child.once('exit', () => this.#lost(child));
    this.#holdOpen();
    if (this.#cgroupRoot !== undefined) this.#send(child, { t: 'cgroup', root: this.#cgroupRoot });
    return { child, server, path };
  }

  /**
   * While a process it started runs, the spawner's channel keeps this process alive (a spawn or an
   * exit is still to be reported); otherwise it must not keep a finished program from exiting.
   */
  #holdOpen(): void {
    const child = this.#child;
    if (!child) return;
    const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (this.#entries.size > 0) {
      child.ref();
      channel?.ref?.();
    } else {
      child.unref();
      channel?.unref?.();
    }
  }

  #send(child: ChildProcess, message: ToSpawner): void {
    if (child.connected) child.send(message);
  }

  #receive(m: FromSpawner): void {
    const entry = this.#entries.get(m.id);
    if (!entry) return;
    if (m.t === 'spawned') {
      entry.pid = m.pid;
      entry.started(m.pid);
    } else if (m.t === 'error') {
      this.#entries.delete(m.id);
      this.#holdOpen();
      entry.failed(new SpawnError(m.message, m.code, m.syscall));
    } else {
      entry.exit = { code: m.code, signal: m.signal };
      if (entry.ended >= 2) this.#finish(m.id, entry);
      else entry.drainTimer = setTimeout(() => this.#finish(m.id, entry), OUTPUT_DRAIN_MS);
    }
  }

  #finish(id: number, entry: Entry): void {
    if (entry.done || !entry.exit) return;
    entry.done = true;
    clearTimeout(entry.drainTimer);
    this.#entries.delete(id);
    this.#holdOpen();
    entry.handlers.exit(entry.exit.code, entry.exit.signal);
  }

  #accept(socket: Socket): void {
    let head = Buffer.alloc(0);
    let route: { id: number; stream: 'out' | 'err'; entry: Entry } | undefined;
    socket.on('data', (chunk: Buffer) => {
      if (route) {
        route.entry.handlers.output(chunk, route.stream);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const nl = head.indexOf(10);
      if (nl < 0) return;
      const parsed = parseOutputHeader(head.subarray(0, nl).toString());
      const entry = parsed && this.#entries.get(parsed.id);
      if (!parsed || !entry) {
        socket.destroy();
        return;
      }
      route = { ...parsed, entry };
      const rest = head.subarray(nl + 1);
      if (rest.length > 0) entry.handlers.output(rest, parsed.stream);
    });
    socket.on('error', () => {});
    socket.once('close', () => {
      if (!route) return;
      route.entry.ended++;
      if (route.entry.ended >= 2 && route.entry.exit) this.#finish(route.id, route.entry);
    });
  }

  /** The spawner died under us: stop what it ran ourselves, and report every process gone. */
  #lost(child: ChildProcess): void {
    if (this.#child === child) {
      this.#child = undefined;
      this.#running = undefined;
    }
    for (const [id, entry] of this.#entries) {
      if (entry.pid === undefined) {
        this.#entries.delete(id);
        entry.failed(new SpawnError('the spawner process exited'));
        continue;
      }
      try {
        process.kill(-entry.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      entry.exit ??= { code: null, signal: 'SIGKILL' };
      this.#finish(id, entry);
    }
  }
}

let shared: Spawner | undefined;

/** The process's spawner (one per emulator process, shared by every emulator in it). */
export function sharedSpawner(): Spawner {
  shared ??= new Spawner();
  return shared;
}

/** main.js next to this module (dist), or the built one when running from the sources. */
function spawnerMain(): string {
  for (const url of [
    new URL('./main.js', import.meta.url),
    new URL('../../../dist/emulator/spawner/main.js', import.meta.url),
  ]) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error('spawner not found; run the build (npm run build) first');
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already removed.
  }
}
