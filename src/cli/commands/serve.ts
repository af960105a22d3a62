/**
 * `lambench serve` — the emulator alone, serving the Lambda Invoke and control-plane API on
 * loopback for SDK clients, the AWS CLI or Artillery, with the functions of a SAM template deployed.
 * Runs until SIGINT/SIGTERM, then stops every environment so no process is left behind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ExitCode, InputError } from '../../core/errors.js';
import { startHttpApi } from '../../emulator/http-server.js';
import { createEmulator } from '../../emulator/index.js';
import { LogStore } from '../../emulator/log-store.js';
import type { CreateFunctionInput } from '../../emulator/types.js';
import { isSamTemplate, loadSamTemplate } from '../../scenario/sam-template.js';
import type { CommandFactory } from '../command.js';
import { type Io, println } from '../io.js';

interface ServeArgs {
  file?: string;
  template?: string;
  port: number;
  host: string;
  logsDelay: number;
}

/** What serve deploys, whichever file it came from. */
interface Deployment {
  functions: CreateFunctionInput[];
  notes: string[];
}

export const serveCommand: CommandFactory = (io, setExit) => ({
  command: 'serve [file]',
  describe: 'Run the local emulator alone, serving the Lambda API (Invoke, versions, aliases, …) over HTTP',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', describe: 'a SAM template or a scenario file' })
      .option('template', { type: 'string', describe: 'SAM template whose functions to serve' })
      .option('port', { alias: 'p', type: 'number', default: 9001, describe: 'port to listen on' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'interface to listen on' })
      .option('logs-delay', {
        type: 'number',
        default: 0,
        describe: 'ms before a log line is visible to CloudWatch Logs FilterLogEvents (eventual consistency)',
      }),
  handler: async (argv) => {
    setExit(await runServe(argv as unknown as ServeArgs, io));
  },
});

async function runServe(args: ServeArgs, io: Io): Promise<number> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65_535) {
    throw new InputError('INVALID_ARGUMENT', `${args.port} is not a port (0–65535)`, {
      position: { file: 'command line', field: '--port' },
    });
  }
  if (!Number.isFinite(args.logsDelay) || args.logsDelay < 0) {
    throw new InputError('INVALID_ARGUMENT', `${args.logsDelay} is not a delay in ms (0 or more)`, {
      position: { file: 'command line', field: '--logs-delay' },
    });
  }
  const deployment = await loadDeployment(args, io);
  // Function logs are kept for CloudWatch Logs FilterLogEvents (REPORT lines of Event invokes).
  const logs = new LogStore({ ingestionDelayMs: args.logsDelay });
  const api = await createEmulator({ onLog: logs.add });
  try {
    for (const fn of deployment.functions) await api.createFunction(fn);
    const http = await startHttpApi(api, { host: args.host, port: args.port, logs });
    // One write, so whoever reads the endpoint line also has the function list.
    const lines = [`lambench emulator listening on ${http.url}`, `cpu limiter: ${api.cpuLimiter}`];
    for (const fn of deployment.functions) {
      lines.push(`  ${fn.functionName}  ${fn.runtime}  ${fn.memorySize ?? 128} MB  ${fn.codeDir}`);
    }
    if (deployment.functions.length === 0) lines.push('  (no functions; create some with CreateFunction)');
    io.stdout.write(`${lines.join('\n')}\n`);
    for (const note of deployment.notes) println(io.stderr, `lambench: note: ${note}`);
    await untilSignal(io);
    println(io.stderr, 'lambench: stopping');
    await http.close();
  } finally {
    await api.close();
  }
  return ExitCode.Ok;
}

function untilSignal(io: Io): Promise<void> {
  return new Promise((done) => {
    const off = io.onSignal(() => {
      off();
      done();
    });
  });
}

async function loadDeployment(args: ServeArgs, io: Io): Promise<Deployment> {
  if (args.template !== undefined && args.file !== undefined) {
    throw new InputError('INVALID_ARGUMENT', 'name either a file or --template, not both', {
      position: { file: 'command line', field: '--template' },
    });
  }
  const named = args.template ?? args.file;
  const file = resolve(io.cwd, named ?? 'template.yaml');
  if (named === undefined && !existsSync(file)) return { functions: [], notes: [] };
  if (args.template !== undefined || isSamTemplate(readText(file))) return fromTemplate(file);
  return fromScenario(file);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError('FILE_UNREADABLE', `cannot read file: ${(err as Error).message}`, {
      position: { file },
    });
  }
}

function fromTemplate(file: string): Deployment {
  const template = loadSamTemplate(file);
  const functions = template.functions.map((fn) => {
    const input: CreateFunctionInput = {
      functionName: fn.functionName,
      codeDir: fn.codeDir,
      handler: fn.handler,
      runtime: fn.runtime,
      memorySize: fn.memorySize,
      timeout: fn.timeout,
      environment: fn.environment,
    };
    if (fn.reservedConcurrency !== undefined) input.reservedConcurrency = fn.reservedConcurrency;
    return input;
  });
  return { functions, notes: template.notes };
}

/** The function fields serve needs from a scenario, whatever else the scenario holds. */
interface ScenarioFunctionLike {
  name: string;
  codeDir: string;
  handler: string;
  runtime: string;
  /** One memory setting per sweep value; serve deploys $LATEST with the first. */
  memoryMB?: number[];
  timeoutMs?: number;
  environment?: Record<string, string>;
  reservedConcurrency?: number;
}

/**
 * Scenario files belong to the scenario module; serve loads it only when asked for a scenario, and
 * deploys the functions it defines.
 */
async function fromScenario(file: string): Promise<Deployment> {
  const specifier = '../../scenario/index.js';
  let loadScenario: ((path: string) => unknown) | undefined;
  try {
    const mod = (await import(specifier)) as { loadScenario?: (path: string) => unknown };
    loadScenario = mod.loadScenario;
  } catch {
    loadScenario = undefined;
  }
  if (loadScenario === undefined) {
    throw new InputError(
      'SCENARIO_UNSUPPORTED',
      'scenario files are not supported yet; pass a SAM template',
      {
        position: { file },
      },
    );
  }
  const scenario = (await loadScenario(file)) as { functions?: unknown };
  const list = Array.isArray(scenario.functions)
    ? scenario.functions
    : Object.values((scenario.functions ?? {}) as Record<string, unknown>);
  const functions = (list as ScenarioFunctionLike[]).map((fn) => {
    const input: CreateFunctionInput = {
      functionName: fn.name,
      codeDir: fn.codeDir,
      handler: fn.handler,
      runtime: fn.runtime,
    };
    const memory = fn.memoryMB?.[0];
    if (memory !== undefined) input.memorySize = memory;
    if (fn.timeoutMs !== undefined) input.timeout = Math.ceil(fn.timeoutMs / 1000);
    if (fn.environment !== undefined) input.environment = fn.environment;
    if (fn.reservedConcurrency !== undefined) input.reservedConcurrency = fn.reservedConcurrency;
    return input;
  });
  return { functions, notes: [] };
}
