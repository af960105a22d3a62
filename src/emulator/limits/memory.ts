/**
 * Memory use of an environment from /proc: VmHWM (peak RSS) of the main process, and the current
 * RSS of its descendants for runtimes that fork. Figures are in kB, as /proc reports them.
 *
 * The main process's status and children files stay open and are re-read with pread at offset 0
 * (a /proc file is regenerated on every read from the start): one syscall per read instead of
 * open, fstat, read and close — the status after every warm invoke, lambench's hot path, and both
 * on every sweep of a busy environment.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

function field(status: string, name: string): number {
  const at = status.indexOf(name);
  if (at < 0) return 0;
  return Number.parseInt(status.slice(at + name.length + 1), 10) || 0;
}

/** Peak and current RSS of one process in kB, read once; zeros when the process is gone. */
export function processMemoryKb(pid: number): { hwm: number; rss: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    return { hwm: field(status, 'VmHWM:'), rss: field(status, 'VmRSS:') };
  } catch {
    return { hwm: 0, rss: 0 };
  }
}

/** The main process of an environment, its status and children files kept open. */
export class ProcessMemory {
  readonly #buffer = Buffer.allocUnsafe(8192);
  #status: number | undefined;
  /** Its child pids; read on every sweep of a busy environment (tens of times a second). */
  #children: number | undefined;

  constructor(pid: number) {
    this.#status = open(`/proc/${pid}/status`);
    this.#children = open(`/proc/${pid}/task/${pid}/children`);
  }

  /** Peak RSS in kB (0 when /proc is unavailable or the process is gone). */
  peakKb(): number {
    const text = this.#read(this.#status);
    return text === undefined ? 0 : field(text, 'VmHWM:');
  }

  /** Peak RSS of the main process plus the current RSS of its descendants, in kB. */
  treeKb(depth = 3): number {
    let total = this.peakKb();
    for (const child of pids(this.#read(this.#children))) total += treeRss(child, depth - 1);
    return total;
  }

  close(): void {
    for (const fd of [this.#status, this.#children]) if (fd !== undefined) closeSync(fd);
    this.#status = undefined;
    this.#children = undefined;
  }

  #read(fd: number | undefined): string | undefined {
    if (fd === undefined) return undefined;
    try {
      const n = readSync(fd, this.#buffer, 0, this.#buffer.length, 0);
      return this.#buffer.toString('latin1', 0, n);
    } catch {
      return undefined;
    }
  }
}

function open(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch {
    return undefined;
  }
}

function pids(text: string | undefined): number[] {
  const trimmed = text?.trim();
  return trimmed ? trimmed.split(' ').map(Number) : [];
}

/** Child pids of the main thread (needs CONFIG_PROC_CHILDREN; empty when unavailable). */
function children(pid: number): number[] {
  try {
    return pids(readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1'));
  } catch {
    return [];
  }
}

function treeRss(pid: number, depth: number): number {
  let total = processMemoryKb(pid).rss;
  if (depth > 0) for (const child of children(pid)) total += treeRss(child, depth - 1);
  return total;
}
