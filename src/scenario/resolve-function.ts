/**
 * A validated `functions.<name>` entry → ScenarioFunction: handler and code folder resolved to
 * absolute paths, runtime inferred from the handler file, units normalised, Lambda defaults
 * applied (128 MB, 3 s — the AWS defaults for a new function).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Reporter } from './reporter.js';
import type { RawFunction } from './schema.js';
import { RUNTIMES, type Runtime, type ScenarioFunction } from './types.js';
import { parseDuration, parseMemoryMB } from './units.js';
import type { PathSegment } from './yaml-document.js';

const NODE_EXTENSIONS = ['.mjs', '.js', '.cjs'];
const PYTHON_EXTENSIONS = ['.py'];
const DEFAULT_NODE: Runtime = 'nodejs22.x';
const DEFAULT_PYTHON: Runtime = 'python3.12';

/** Scenario function fields after a SAM template (if any) was merged in; codeDir is absolute. */
export type MergedFunction = RawFunction;

export interface FunctionContext {
  reporter: Reporter;
  /** Folder that relative paths in the scenario are resolved against. */
  baseDir: string;
  target: 'local' | 'aws';
}

export function resolveFunction(
  name: string,
  raw: MergedFunction,
  ctx: FunctionContext,
): ScenarioFunction | undefined {
  const at: PathSegment[] = ['functions', name];
  const code = resolveCode(raw, at, ctx);
  if (!code) return undefined;
  const memory = Array.isArray(raw.memory) ? raw.memory : [raw.memory ?? 128];
  const fn: ScenarioFunction = {
    name,
    handler: code.handler,
    codeDir: code.codeDir,
    runtime: code.runtime,
    memoryMB: memory.map((m) => parseMemoryMB(m) ?? Number.NaN),
    timeoutMs: parseDuration(raw.timeout ?? '3s') ?? Number.NaN,
    environment: Object.fromEntries(Object.entries(raw.environment ?? {}).map(([k, v]) => [k, String(v)])),
    position: ctx.reporter.at(at, true),
  };
  if (fn.timeoutMs % 1000 !== 0) {
    ctx.reporter.fail([...at, 'timeout'], 'Lambda timeouts are whole seconds, e.g. "30s"');
  }
  if (raw.concurrency !== undefined) fn.reservedConcurrency = raw.concurrency;
  if (raw.provisioned !== undefined) fn.provisionedConcurrency = raw.provisioned;
  if (raw.name !== undefined) fn.remoteName = raw.name;
  return fn;
}

interface Code {
  handler: string;
  codeDir: string;
  runtime: Runtime;
}

/**
 * `handler: dir/file.export` (no codeDir): the code folder is the handler file's folder and the
 * Lambda handler is `file.export`. With `codeDir`, the handler is Lambda's own `file.export`.
 */
function resolveCode(raw: MergedFunction, at: PathSegment[], ctx: FunctionContext): Code | undefined {
  const { reporter } = ctx;
  if (raw.handler === undefined) {
    if (raw.runtime?.startsWith('provided') && raw.codeDir !== undefined) {
      return bootstrapCode(
        raw.runtime as Runtime,
        path.resolve(ctx.baseDir, raw.codeDir),
        'bootstrap',
        at,
        ctx,
        raw.codeDir,
      );
    }
    reporter.fail(at, 'missing handler: write handler: path/to/file.export (relative to the scenario file)');
    return undefined;
  }
  let codeDir: string;
  let handler: string;
  // Messages show the folder as the user wrote it, not this machine's absolute path.
  const shownDir = raw.codeDir ?? (path.dirname(raw.handler) || '.');
  if (raw.codeDir !== undefined) {
    codeDir = path.resolve(ctx.baseDir, raw.codeDir);
    handler = raw.handler;
  } else {
    const full = path.resolve(ctx.baseDir, raw.handler);
    codeDir = path.dirname(full);
    handler = path.basename(full);
  }
  if (raw.runtime?.startsWith('provided'))
    return bootstrapCode(raw.runtime as Runtime, codeDir, handler, at, ctx, shownDir);
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) {
    reporter.fail([...at, 'handler'], `expected file.export (e.g. index.handler), got "${raw.handler}"`);
    return undefined;
  }
  const runtime = raw.runtime ?? inferRuntime(codeDir, handler.slice(0, dot));
  if (runtime === undefined) {
    const where = raw.runtime === undefined ? 'cannot infer the runtime: ' : '';
    reporter.fail(
      [...at, 'handler'],
      `${where}no ${handler.slice(0, dot)}.{js,mjs,cjs,py} in ${shownDir}${where ? '; set runtime' : ''}`,
    );
    return undefined;
  }
  if (ctx.target === 'local' && !handlerFileExists(codeDir, handler.slice(0, dot), runtime)) {
    const exts = (runtime.startsWith('python') ? PYTHON_EXTENSIONS : NODE_EXTENSIONS).join(', ');
    reporter.fail([...at, 'handler'], `no handler file ${handler.slice(0, dot)} (${exts}) in ${shownDir}`);
    return undefined;
  }
  return { handler, codeDir, runtime };
}

function bootstrapCode(
  runtime: Runtime,
  codeDir: string,
  handler: string,
  at: PathSegment[],
  ctx: FunctionContext,
  shownDir: string,
): Code | undefined {
  if (ctx.target === 'local' && !existsSync(path.join(codeDir, 'bootstrap'))) {
    ctx.reporter.fail([...at, 'codeDir'], `${runtime} needs an executable named bootstrap in ${shownDir}`);
    return undefined;
  }
  return { handler, codeDir, runtime };
}

/** Python modules may be dotted (`pkg.mod`); Node handlers name a file. */
function inferRuntime(codeDir: string, module: string): Runtime | undefined {
  if (handlerFileExists(codeDir, module, DEFAULT_NODE)) return DEFAULT_NODE;
  if (handlerFileExists(codeDir, module, DEFAULT_PYTHON)) return DEFAULT_PYTHON;
  return undefined;
}

function handlerFileExists(codeDir: string, module: string, runtime: Runtime): boolean {
  if (runtime.startsWith('python')) {
    return PYTHON_EXTENSIONS.some((ext) => existsSync(path.join(codeDir, module.replaceAll('.', '/') + ext)));
  }
  return NODE_EXTENSIONS.some((ext) => existsSync(path.join(codeDir, module + ext)));
}

/** Whether a string names a runtime lambench knows (SAM templates carry free text). */
export function isRuntime(text: string): text is Runtime {
  return (RUNTIMES as readonly string[]).includes(text);
}
