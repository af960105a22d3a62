/**
 * Memory use of an environment from /proc, read cheaply: VmHWM (peak RSS) of the main process, and
 * the current RSS of its direct children for runtimes that fork. All figures are in kB, as /proc
 * reports them.
 */
import { readFileSync } from 'node:fs';

function field(status: string, name: string): number {
  const at = status.indexOf(name);
  if (at < 0) return 0;
  return Number.parseInt(status.slice(at + name.length + 1), 10) || 0;
}

/** Peak and current RSS of one process in kB; zeros when the process is gone. */
export function processMemoryKb(pid: number): { hwm: number; rss: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    return { hwm: field(status, 'VmHWM:'), rss: field(status, 'VmRSS:') };
  } catch {
    return { hwm: 0, rss: 0 };
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

/** RSS of a process tree in kB (main process peak, children current), walking at most `depth` levels. */
export function treeMemoryKb(pid: number, depth = 3): number {
  let total = processMemoryKb(pid).hwm;
  if (depth === 0) return total;
  for (const child of children(pid)) total += treeRss(child, depth - 1);
  return total;
}

function treeRss(pid: number, depth: number): number {
  let total = processMemoryKb(pid).rss;
  if (depth > 0) for (const child of children(pid)) total += treeRss(child, depth - 1);
  return total;
}
