// CPU time of this process's descendants (the emulator's spawner and the function environments it
// forks), read from /proc: what the functions' side of a benchmark costs, beside process.cpuUsage()
// for the harness. Linux only; elsewhere (or without /proc/<pid>/task/<pid>/children) undefined.
import { readFileSync } from 'node:fs';

const TICK_US = 10_000; // USER_HZ is 100 on Linux

function children(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim();
    return text ? text.split(' ').map(Number) : [];
  } catch {
    return undefined;
  }
}

/** µs of user + system CPU each live descendant has used, by pid. */
export function descendantsCpu(root = process.pid) {
  const direct = children(root);
  if (direct === undefined) return undefined;
  const out = new Map();
  const walk = (pids) => {
    for (const pid of pids) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(pid, (Number(f[11]) + Number(f[12])) * TICK_US);
      } catch {
        continue; // gone meanwhile
      }
      walk(children(pid) ?? []);
    }
  };
  walk(direct);
  return out;
}

/** µs of CPU the descendants used between two descendantsCpu() readings (processes new since count whole). */
export function cpuBetween(before, after) {
  if (!before || !after) return undefined;
  let us = 0;
  for (const [pid, t] of after) us += t - (before.get(pid) ?? 0);
  return us;
}
