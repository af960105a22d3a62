/**
 * Messages between the emulator and its spawner process (over the Node IPC channel), and the
 * header an environment's output connection opens with.
 */

/** Emulator → spawner: start one environment process. */
export interface SpawnRequest {
  t: 'spawn';
  id: number;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** A cgroup folder to move the process into before reporting it started. */
  cgroup?: string;
}

/** Emulator → spawner: the cgroup folder to remove if the emulator dies without closing. */
export interface CgroupNotice {
  t: 'cgroup';
  root: string;
}

export type ToSpawner = SpawnRequest | CgroupNotice;

export type FromSpawner =
  | { t: 'spawned'; id: number; pid: number }
  | { t: 'error'; id: number; code?: string; syscall?: string; message: string }
  | { t: 'exit'; id: number; code: number | null; signal: string | null };

/** The first line of an output connection: `<id> out` or `<id> err`. */
export function outputHeader(id: number, stream: 'out' | 'err'): string {
  return `${id} ${stream}\n`;
}

export function parseOutputHeader(line: string): { id: number; stream: 'out' | 'err' } | undefined {
  const m = /^(\d+) (out|err)$/.exec(line);
  return m ? { id: Number(m[1]), stream: m[2] as 'out' | 'err' } : undefined;
}
