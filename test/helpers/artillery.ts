/** Artillery for the tests: installed once into the cache folder (scripts/install-artillery.mjs). */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
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
  return { ...process.env, ...engineEnvOnly() };
}

/** Only the variables engineEnv adds (to lay over another environment). */
export function engineEnvOnly(): Record<string, string> {
  return {
    NODE_PATH: join(ROOT, 'packages'),
    LAMBENCH_LIBRARY: join(ROOT, 'dist', 'index.js'),
    ARTILLERY_DISABLE_TELEMETRY: '1',
  };
}

/** Runs `node <file> <args>` from the repository root (or `cwd`). */
export function runNode(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string = ROOT,
): Promise<ProcessRun> {
  return runProcess(file, args, { cwd, env });
}

/**
 * What `artillery run-fargate|run-lambda` ship, rebuilt locally: the script and every
 * `config.includeFiles` entry (folders expanded), copied into `into` under their common folder
 * with their relative layout kept. Returns the copied script's path.
 */
export function bundleLikeArtillery(scriptPath: string, into: string): string {
  const script = parse(readFileSync(scriptPath, 'utf8')) as { config: { includeFiles?: string[] } };
  const files = [scriptPath];
  for (const entry of script.config.includeFiles ?? [])
    files.push(...filesUnder(resolve(dirname(scriptPath), entry)));
  const prefix = commonFolder(files);
  for (const file of files) {
    const to = join(into, relative(prefix, file));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(file, to);
  }
  return join(into, relative(prefix, scriptPath));
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

function commonFolder(paths: readonly string[]): string {
  const split = paths.map((p) => dirname(p).split(sep));
  const first = split[0] ?? [];
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(sep) || sep;
}
