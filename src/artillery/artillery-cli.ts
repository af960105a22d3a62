/**
 * Finding the user's Artillery and running it on a script (effects). Artillery is an optional peer
 * of lambench: when it is missing, the error says how to install it. The engine package is found
 * beside lambench and handed to Artillery through NODE_PATH (Artillery requires engines by name).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';

export const ARTILLERY_INSTALL_HINT =
  'install it with: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --save-dev --save-exact artillery@2.0.21 artillery-engine-lambench ' +
  '(2.0.21 is the last Artillery for Node 20; 2.0.22 and later need Node 22), or set LAMBENCH_ARTILLERY to its bin/run file';

export interface ArtilleryInstall {
  /** The `artillery` entry script (run with this Node). */
  bin: string;
  version: string;
}

/** LAMBENCH_ARTILLERY, else node_modules/.bin/artillery from `cwd` upwards, else `artillery` on PATH. */
export function findArtillery(cwd: string, env: NodeJS.ProcessEnv): ArtilleryInstall {
  const candidates: string[] = [];
  if (env.LAMBENCH_ARTILLERY) candidates.push(env.LAMBENCH_ARTILLERY);
  for (let dir = cwd; ; dir = dirname(dir)) {
    candidates.push(join(dir, 'node_modules', '.bin', 'artillery'));
    if (dirname(dir) === dir) break;
  }
  for (const p of (env.PATH ?? '').split(delimiter)) if (p) candidates.push(join(p, 'artillery'));
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const bin = realpathSync(candidate);
    const version = packageVersion(bin);
    if (version !== undefined) return { bin, version };
  }
  if (env.LAMBENCH_ARTILLERY) {
    throw new InputError(
      'ARTILLERY_MISSING',
      `LAMBENCH_ARTILLERY=${env.LAMBENCH_ARTILLERY}: expected Artillery's bin/run file; ${ARTILLERY_INSTALL_HINT}`,
    );
  }
  throw new InputError(
    'ARTILLERY_MISSING',
    `--engine artillery: Artillery is not installed; ${ARTILLERY_INSTALL_HINT}`,
  );
}

/** The version in the package.json of the `artillery` package that holds `bin`. */
function packageVersion(bin: string): string | undefined {
  for (let dir = dirname(bin); dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      return pkg.name === 'artillery' ? pkg.version : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The folder that holds `artillery-engine-lambench` (for NODE_PATH), found from lambench or `cwd`. */
export function findEngineFolder(cwd: string): string {
  for (const from of [fileURLToPath(import.meta.url), join(cwd, 'package.json')]) {
    try {
      const pkg = createRequire(from).resolve('artillery-engine-lambench/package.json');
      return dirname(dirname(realpathSync(pkg)));
    } catch {
      // Try the next place.
    }
  }
  throw new InputError(
    'ARTILLERY_ENGINE_MISSING',
    `--engine artillery: the engine package artillery-engine-lambench is not installed; ${ARTILLERY_INSTALL_HINT}`,
  );
}

/** lambench's library entry (dist/index.js), for the engine to import in Artillery's workers. */
export const LIBRARY_ENTRY = fileURLToPath(new URL('../index.js', import.meta.url));

/** The environment Artillery runs with: the engine on NODE_PATH, the library named, no telemetry. */
export function artilleryEnv(env: NodeJS.ProcessEnv, engineFolder: string): NodeJS.ProcessEnv {
  return {
    ...env,
    NODE_PATH: [engineFolder, env.NODE_PATH].filter(Boolean).join(delimiter),
    LAMBENCH_LIBRARY: env.LAMBENCH_LIBRARY ?? LIBRARY_ENTRY,
    ARTILLERY_DISABLE_TELEMETRY: '1',
  };
}

export interface ArtilleryExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines Artillery printed on stderr (for error messages). */
  stderrTail: string;
}

/** Runs `node <bin> <args>`, forwarding its output to `out`; resolves when it exits. */
export function runArtillery(
  install: ArtilleryInstall,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; out: NodeJS.WritableStream; signal?: AbortSignal },
): Promise<ArtilleryExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [install.bin, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    child.stdout?.on('data', (d: Buffer) => options.out.write(d));
    child.stderr?.on('data', (d: Buffer) => {
      options.out.write(d);
      tail = (tail + d.toString()).slice(-2000);
    });
    const onAbort = () => child.kill('SIGINT');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, stderrTail: tail.trim().split('\n').slice(-5).join('\n') });
    });
  });
}
