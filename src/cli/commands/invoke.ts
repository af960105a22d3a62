/**
 * `lambench invoke` — like `sam local invoke`: run one handler (or one function of a SAM template)
 * in the local emulator. Logs and START/END/REPORT go to stderr, the result payload to stdout; the
 * exit code is 1 when the function failed. With --times, a cold/warm latency summary follows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import hdr from 'hdr-histogram-js';
import type { Argv } from 'yargs';
import { ExitCode, InputError } from '../../core/errors.js';
import { createEmulator } from '../../emulator/index.js';
import { hostPythonVersion, interpreterFor, KNOWN_RUNTIMES, runtimeInfo } from '../../emulator/runtimes.js';
import { type CreateFunctionInput, LambdaServiceError } from '../../emulator/types.js';
import { loadSamTemplate } from '../../scenario/sam-template.js';
import { resultFromOutput, resultFromServiceError } from '../../targets/local.js';
import { formatReportLine } from '../../targets/report-line.js';
import type { InvocationResult } from '../../targets/types.js';
import type { CommandFactory } from '../command.js';
import { type Io, println } from '../io.js';

interface InvokeArgs {
  target: string;
  event?: string;
  memory?: number;
  timeout?: string;
  runtime?: string;
  times: number;
  concurrency: number;
  env?: string[];
  template?: string;
}

const NODE_EXTENSIONS = ['.js', '.mjs', '.cjs'];

const usage = (message: string, field: string) =>
  new InputError('INVALID_ARGUMENT', message, { position: { file: 'command line', field } });

/** `3s`, `1500ms`, `2m` or a bare number of seconds → milliseconds. */
export function parseTimeoutMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

/** The Node runtime matching this machine's major version; between two Lambda runtimes, the older. */
function nodeRuntime(): string {
  const major = Number(process.versions.node.split('.')[0]);
  const majors = KNOWN_RUNTIMES.flatMap((id) => {
    const info = runtimeInfo(id);
    return info?.family === 'node' ? [Number(info.version)] : [];
  });
  const fit = majors.filter((v) => v <= major).at(-1) ?? majors[0];
  return `nodejs${fit}.x`;
}

/** The Python runtime matching this machine's python3, or the newest known when it has none. */
function pythonRuntime(): string {
  const host = hostPythonVersion();
  const wanted = `python${host}`;
  if (host !== null && runtimeInfo(wanted)) return wanted;
  return KNOWN_RUNTIMES.filter((id) => runtimeInfo(id)?.family === 'python').at(-1) ?? 'python3.12';
}

/** `path/to/file.export` → code dir, Lambda handler (`file.export`) and the runtime its extension implies. */
export function fromHandlerPath(
  spec: string,
  cwd: string,
): { codeDir: string; handler: string; runtime: string } {
  const full = resolve(cwd, spec);
  const name = basename(full);
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) {
    throw usage(`'${spec}' is not a handler; expected path/to/file.export (e.g. src/app.handler)`, 'handler');
  }
  const codeDir = dirname(full);
  const module = name.slice(0, dot);
  const found = [...NODE_EXTENSIONS, '.py'].find((ext) => existsSync(resolve(codeDir, module + ext)));
  if (found === undefined) {
    throw usage(`handler file ${resolve(codeDir, module)}.{js,mjs,cjs,py} not found`, 'handler');
  }
  return { codeDir, handler: name, runtime: found === '.py' ? pythonRuntime() : nodeRuntime() };
}

function readEvent(spec: string | undefined, io: Io): Promise<string> {
  if (spec === undefined) return Promise.resolve('{}');
  const file = spec === '-' ? 'stdin' : resolve(io.cwd, spec);
  const text =
    spec === '-'
      ? readStream(io.stdin)
      : Promise.resolve().then(() => {
          try {
            return readFileSync(file, 'utf8');
          } catch (err) {
            throw new InputError('EVENT_UNREADABLE', `cannot read event file: ${(err as Error).message}`, {
              position: { file },
            });
          }
        });
  return text.then((t) => {
    try {
      JSON.parse(t);
    } catch (err) {
      throw new InputError('EVENT_NOT_JSON', `event is not JSON: ${(err as Error).message}`, {
        position: { file },
      });
    }
    return t;
  });
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function parseEnv(pairs: string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usage(`'${pair}' is not KEY=VALUE`, '--env');
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** The function to create, from a handler path or a template function, with the flags applied. */
function functionInput(args: InvokeArgs, io: Io, notes: string[]): CreateFunctionInput {
  let input: CreateFunctionInput;
  const looksLikeName = !args.target.includes('.') && !args.target.includes('/');
  if (args.template !== undefined || looksLikeName) {
    const file = resolve(io.cwd, args.template ?? 'template.yaml');
    if (args.template === undefined && !existsSync(file)) {
      throw usage(
        `'${args.target}' is not path/to/file.export, and there is no template.yaml here`,
        'handler',
      );
    }
    const template = loadSamTemplate(file);
    notes.push(...template.notes);
    const fn = template.functions.find((f) => f.functionName === args.target || f.logicalId === args.target);
    if (fn === undefined) {
      const names = template.functions.map((f) => f.functionName).join(', ');
      throw new InputError(
        'FUNCTION_NOT_FOUND',
        `no function '${args.target}' in the template (it has ${names})`,
        {
          position: { file },
        },
      );
    }
    input = { functionName: fn.functionName, codeDir: fn.codeDir, handler: fn.handler, runtime: fn.runtime };
    input.memorySize = fn.memorySize;
    input.timeout = fn.timeout;
    input.environment = fn.environment;
    if (fn.reservedConcurrency !== undefined) input.reservedConcurrency = fn.reservedConcurrency;
  } else {
    const h = fromHandlerPath(args.target, io.cwd);
    const name = basename(h.handler, extname(h.handler)).replace(/[^a-zA-Z0-9_-]/g, '-');
    input = { functionName: name, codeDir: h.codeDir, handler: h.handler, runtime: h.runtime };
  }
  return applyFlags(input, args, notes);
}

function applyFlags(input: CreateFunctionInput, args: InvokeArgs, notes: string[]): CreateFunctionInput {
  if (args.runtime !== undefined) input.runtime = args.runtime;
  if (args.memory !== undefined) {
    if (!Number.isInteger(args.memory) || args.memory < 128 || args.memory > 10_240) {
      throw usage(`${args.memory} MB is out of range; expected an integer 128–10240`, '--memory');
    }
    input.memorySize = args.memory;
  }
  if (args.timeout !== undefined) {
    const ms = parseTimeoutMs(args.timeout);
    if (ms === undefined || ms <= 0 || ms > 900_000) {
      throw usage(`'${args.timeout}' is not a timeout from 1s to 900s (e.g. 3s, 1500ms, 2m)`, '--timeout');
    }
    // Lambda timeouts are whole seconds.
    input.timeout = Math.ceil(ms / 1000);
    if (input.timeout * 1000 !== ms) notes.push(`timeout ${args.timeout} rounded up to ${input.timeout}s`);
  }
  const env = parseEnv(args.env);
  if (Object.keys(env).length > 0) input.environment = { ...input.environment, ...env };
  if (!Number.isInteger(args.times) || args.times < 1) throw usage('expected an integer ≥ 1', '--times');
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1) {
    throw usage('expected an integer ≥ 1', '--concurrency');
  }
  return input;
}

export const invokeCommand: CommandFactory = (io, setExit) => ({
  // yargs never takes a lone `-` as an option value: `--event -` arrives as an empty --event and a
  // `-` positional, which [stdin] catches.
  command: 'invoke <target> [stdin]',
  describe: 'Invoke a handler (path/to/file.export) or a SAM template function in the local emulator',
  builder: (y: Argv) =>
    y
      .positional('target', {
        type: 'string',
        describe: 'path/to/file.export, or a function name with --template',
      })
      .option('event', {
        alias: 'e',
        type: 'string',
        describe: 'event JSON file, or - for stdin (default {})',
      })
      .option('memory', { alias: 'm', type: 'number', describe: 'memory size in MB (128–10240)' })
      .option('timeout', { alias: 't', type: 'string', describe: 'timeout with units: 3s, 1500ms, 2m' })
      .option('runtime', { type: 'string', describe: 'runtime id (default: from the file extension)' })
      .option('times', {
        alias: 'n',
        type: 'number',
        default: 1,
        describe: 'invoke N times; prints a summary',
      })
      .option('concurrency', {
        alias: 'c',
        type: 'number',
        default: 1,
        describe: 'invokes in flight at once',
      })
      .option('env', { type: 'string', array: true, describe: 'environment variable KEY=VALUE (repeatable)' })
      .option('template', { type: 'string', describe: 'SAM template holding the function' }),
  handler: async (argv) => {
    const args = argv as unknown as InvokeArgs & { stdin?: string | boolean };
    // yargs hands the lone `-` over as a `true` or empty positional.
    const dash = args.stdin === true || args.stdin === '' || args.stdin === '-';
    if (dash && !args.event) args.event = '-';
    else if (args.stdin !== undefined) throw usage(`unexpected argument '${args.stdin}'`, 'arguments');
    if (args.event === '') throw usage('expected an event file name, or - for stdin', '--event');
    setExit(await runInvoke(args, io));
  },
});

async function runInvoke(args: InvokeArgs, io: Io): Promise<number> {
  const notes: string[] = [];
  const input = functionInput(args, io, notes);
  const payload = await readEvent(args.event, io);
  const seenReports = new Set<string>();
  const stderr = new HeldOutput(io.stderr);
  const api = await createEmulator({
    onLog: (_fn, line) => {
      const report = /^REPORT RequestId: (\S+)/.exec(line);
      if (report?.[1]) seenReports.add(report[1]);
      stderr.line(line.endsWith('\n') ? line.slice(0, -1) : line);
    },
  });
  try {
    await api.createFunction(input);
    const memory = input.memorySize ?? 128;
    stderr.line(
      `lambench: ${input.functionName} (${input.runtime}, ${memory} MB); cpu limiter: ${api.cpuLimiter}${interpreterText(input.runtime)}`,
    );
    for (const note of notes) stderr.line(`lambench: note: ${note}`);
    const runtimeNotes = new Set<string>();
    const invokeOnce = async (): Promise<InvocationResult> => {
      const start = process.hrtime.bigint();
      try {
        const out = await api.invoke({ functionName: input.functionName, payload });
        const result = resultFromOutput(out, Number((process.hrtime.bigint() - start) / 1000n));
        // A warm invoke settles a turn before its END and REPORT lines are logged: wait that turn,
        // then print the REPORT only if the emulator's log stream did not carry one.
        await new Promise((resolve) => setImmediate(resolve));
        if (out.report && !seenReports.has(out.report.requestId)) stderr.line(formatReportLine(out.report));
        if (out.runtimeNote !== undefined && !runtimeNotes.has(out.runtimeNote)) {
          runtimeNotes.add(out.runtimeNote);
          stderr.line(`lambench: note: ${out.runtimeNote}`);
        }
        return result;
      } catch (err) {
        if (!(err instanceof LambdaServiceError)) throw err;
        stderr.line(`lambench: ${err.type}: ${err.message}`);
        return resultFromServiceError(err, Number((process.hrtime.bigint() - start) / 1000n));
      }
    };
    const results = await invokeAll(invokeOnce, args.times, args.concurrency, () => stderr.release());
    const last = results.at(-1);
    if (last && last.payload.byteLength > 0) println(io.stdout, Buffer.from(last.payload).toString('utf8'));
    if (args.times > 1) printSummary(results, io);
    return results.every((r) => r.status === 'ok') ? ExitCode.Ok : ExitCode.ThresholdFailed;
  } finally {
    await api.close();
  }
}

/** `; interpreter: <binary> <version>` for runtimes that run on one (not `provided.*`). */
function interpreterText(runtime: string): string {
  const family = runtimeInfo(runtime)?.family;
  const interpreter = family === undefined ? undefined : interpreterFor(family);
  return interpreter ? `; interpreter: ${interpreter.path} ${interpreter.version}` : '';
}

/**
 * Holds stderr lines until released: the first invoke's output is dropped when it shows the handler
 * export is missing, so that bad input ends in one line, like every other bad input.
 */
class HeldOutput {
  readonly #stream: NodeJS.WritableStream;
  #held: string[] | undefined = [];
  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
  }
  line(text: string): void {
    if (this.#held) this.#held.push(text);
    else println(this.#stream, text);
  }
  release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    if (held.length > 0) println(this.#stream, held.join('\n'));
  }
}

/**
 * Runs `times` invokes, `concurrency` at a time. The first runs alone: a handler whose export is
 * missing fails the same way every time, and that is bad input (exit 2), not N function errors.
 */
async function invokeAll(
  invokeOnce: () => Promise<InvocationResult>,
  times: number,
  concurrency: number,
  firstSucceeded: () => void,
): Promise<InvocationResult[]> {
  const first = await invokeOnce();
  if (first.errorType === 'Runtime.HandlerNotFound') {
    const detail = errorMessageOf(first.payload);
    throw new InputError('HANDLER_NOT_FOUND', detail ?? 'the handler export was not found', {
      position: { file: 'command line', field: 'handler' },
    });
  }
  firstSucceeded();
  const results: InvocationResult[] = [first];
  let next = 1;
  const worker = async () => {
    while (next < times) {
      next++;
      results.push(await invokeOnce());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, times - 1) }, worker));
  return results;
}

function errorMessageOf(payload: Uint8Array): string | undefined {
  try {
    const body = JSON.parse(Buffer.from(payload).toString('utf8')) as { errorMessage?: unknown };
    return typeof body.errorMessage === 'string' ? body.errorMessage : undefined;
  } catch {
    return undefined;
  }
}

/** Client latency per cold/warm group, in ms; histograms record integer µs. */
function printSummary(results: InvocationResult[], io: Io): void {
  const failed = results.filter((r) => r.status !== 'ok');
  println(io.stderr, '');
  println(io.stderr, `${results.length} invokes, ${failed.length} failed${statusCounts(failed)}`);
  println(io.stderr, '         count    p50 ms    p99 ms    max ms   init p50 ms');
  for (const cold of [true, false]) {
    const group = results.filter((r) => r.cold === cold);
    const latency = histogramOf(group.map((r) => r.callLatencyUs));
    const inits = group.flatMap((r) =>
      r.initDurationMs === undefined ? [] : [Math.round(r.initDurationMs * 1000)],
    );
    const init = inits.length > 0 ? ms(histogramOf(inits).getValueAtPercentile(50)) : '-';
    const cells =
      group.length === 0
        ? ['-', '-', '-']
        : [50, 99, 100].map((p) => ms(Math.min(latency.getValueAtPercentile(p), latency.maxValue)));
    println(
      io.stderr,
      `${(cold ? 'cold' : 'warm').padEnd(6)} ${String(group.length).padStart(6)} ${cells.map((c) => c.padStart(9)).join(' ')} ${init.padStart(13)}`,
    );
  }
}

function statusCounts(failed: InvocationResult[]): string {
  if (failed.length === 0) return '';
  const counts = new Map<string, number>();
  for (const r of failed) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return ` (${[...counts].map(([s, n]) => `${s} ${n}`).join(', ')})`;
}

function histogramOf(valuesUs: number[]) {
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  for (const v of valuesUs) h.recordValue(Math.max(1, v));
  return h;
}

function ms(us: number): string {
  return (us / 1000).toFixed(2);
}
