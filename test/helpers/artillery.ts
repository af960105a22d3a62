/** Artillery for the tests: installed once into the cache folder (scripts/install-artillery.mjs). */
import { join } from 'node:path';
// @ts-expect-error: a plain ES module script without type declarations
import { installArtillery } from '../../scripts/install-artillery.mjs';
import { type ProcessRun, runNode as runProcess } from './processes.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Artillery's bin/run file, installing 2.0.21 into the cache when absent. */
export function artilleryBin(): string {
  return (installArtillery as (log: (line: string) => void) => string)((line) => console.log(line));
}

/** What Artillery needs to load the engine from this repository and the engine to find lambench. */
export function engineEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_PATH: join(ROOT, 'packages'),
    LAMBENCH_LIBRARY: join(ROOT, 'dist', 'index.js'),
    ARTILLERY_DISABLE_TELEMETRY: '1',
  };
}

/** Runs `node <file> <args>` from the repository root. */
export function runNode(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  return runProcess(file, args, { cwd: ROOT, env });
}
