/**
 * Memory use of an environment from /proc: VmHWM (peak RSS) of the main process, and the current
 * RSS of its descendants for runtimes that fork. Figures are in kB, as /proc reports them.
 *
 * The main process's status file stays open and is re-read with pread at offset 0 (a /proc file is
 * regenerated on every read from the start): one syscall per read instead of open, fstat, read and
 * close — this runs after every warm invoke, lambench's hot path.
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

/** The main process of an environment, its status file kept open. */
export class ProcessMemory {
  readonly #pid: number;
  readonly #buffer = Buffer.allocUnsafe(8192);
  #fd: number | undefined;

  constructor(pid: number) {
    this.#pid = pid;
    try {
      this.#fd = openSync(`/proc/${pid}/status`, 'r');
    } catch {
      this.#fd = undefined;
    }
  }

  /** Peak RSS in kB (0 when /proc is unavailable or the process is gone). */
  peakKb(): number {
    if (this.#fd === undefined) return 0;
    try {
      const n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, 0);
      return field(this.#buffer.toString('latin1', 0, n), 'VmHWM:');
    } catch {
      return 0;
    }
  }

  /** Peak RSS of the main process plus the current RSS of its descendants, in kB. */
  treeKb(depth = 3): number {
    let total = this.peakKb();
    for (const child of children(this.#pid)) total += treeRss(child, depth - 1);
    return total;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/** Child pids of the main thread (needs CONFIG_PROC_CHILDREN; empty when unavailable). */
function children(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim();
    return text ? text.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

function treeRss(pid: number, depth: number): number {
  let total = processMemoryKb(pid).rss;
  if (depth > 0) for (const child of children(pid)) total += treeRss(child, depth - 1);
  return total;
}
