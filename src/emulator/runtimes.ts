/**
 * The runtimes the emulator knows, how each one is started, and how the machine's own interpreter
 * differs from the one a function asks for (the emulator runs functions on the host's `node` and
 * `python3`, so a nodejs22.x function on a Node 20 host gets a note saying so).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export type RuntimeFamily = 'node' | 'python' | 'provided';

export interface RuntimeInfo {
  id: string;
  family: RuntimeFamily;
  /** Major (node) or major.minor (python) version the function asks for; absent for provided. */
  version?: string;
}

const NODE = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'];
const PYTHON = ['python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14'];
const PROVIDED = ['provided.al2023', 'provided.al2'];

/** Every runtime id createFunction accepts. */
export const KNOWN_RUNTIMES: readonly string[] = [...NODE, ...PYTHON, ...PROVIDED];

export function runtimeInfo(id: string): RuntimeInfo | undefined {
  if (NODE.includes(id)) return { id, family: 'node', version: id.slice('nodejs'.length, -'.x'.length) };
  if (PYTHON.includes(id)) return { id, family: 'python', version: id.slice('python'.length) };
  if (PROVIDED.includes(id)) return { id, family: 'provided' };
  return undefined;
}

/** The interpreter binary environments of a runtime family are spawned with. */
export interface Interpreter {
  /** Absolute path of the binary itself (never a version manager's shim). */
  path: string;
  /** Full version, e.g. `3.12.1` or `20.20.2`. */
  version: string;
}

let hostPython: Interpreter | null | undefined;

/**
 * The host's Python, resolved once: `python3` from PATH asked for its own `sys.executable`. With
 * pyenv or asdf, `python3` on PATH is a shell shim that works out the version on every start
 * (hundreds of ms, billed as Init Duration); spawning the binary it resolves to starts Python alone.
 * Null when there is no python3.
 */
export function hostPythonInterpreter(): Interpreter | null {
  if (hostPython === undefined) {
    const r = spawnSync(
      'python3',
      ['-c', 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])'],
      { encoding: 'utf8', timeout: 10_000 },
    );
    const [path = '', version = ''] = r.status === 0 ? r.stdout.trim().split('\n') : [];
    // sys.executable is empty when Python cannot tell (embedded builds): keep the PATH lookup then.
    hostPython =
      r.status !== 0 ? null : { path: isAbsolute(path) && existsSync(path) ? path : 'python3', version };
  }
  return hostPython;
}

/**
 * The binary a family's environments run on: Node is the harness's own binary (process.execPath
 * is the real executable even when a version manager's shim started lambench); Python is resolved
 * as above. Undefined for `provided` runtimes (their `bootstrap` is the program) and without python3.
 */
export function interpreterFor(family: RuntimeFamily): Interpreter | undefined {
  if (family === 'node') return { path: process.execPath, version: process.versions.node };
  if (family === 'python') return hostPythonInterpreter() ?? undefined;
  return undefined;
}

/** The host's python3 as `major.minor`, or null when there is none (looked up once). */
export function hostPythonVersion(): string | null {
  const python = hostPythonInterpreter();
  return python ? python.version.split('.').slice(0, 2).join('.') : null;
}

/** The note InvokeOutput.runtimeNote carries when the host interpreter differs from the runtime's. */
export function runtimeNote(info: RuntimeInfo): string | undefined {
  if (info.family === 'node') {
    const host = process.versions.node.split('.')[0];
    if (host !== info.version) return `${info.id} runs on this machine's Node.js ${process.versions.node}`;
  } else if (info.family === 'python') {
    const host = hostPythonVersion();
    if (host !== info.version) return `${info.id} runs on this machine's python3 ${host ?? '(not found)'}`;
  }
  return undefined;
}

/**
 * Finds a runtime client file. Compiled code finds it next to itself (dist/emulator → dist/runtimes);
 * when the emulator runs from source (tests), the compiled node client is in dist/ and the python
 * client in src/.
 */
export function runtimeClientPath(relative: string): string {
  const candidates = [
    new URL(`../runtimes/${relative}`, import.meta.url),
    new URL(`../../dist/runtimes/${relative}`, import.meta.url),
    new URL(`../../src/runtimes/${relative}`, import.meta.url),
  ];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`runtime client ${relative} not found; run the build (npm run build) first`);
}
