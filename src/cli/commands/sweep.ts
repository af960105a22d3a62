/**
 * `lambench sweep <scenario.yaml | path/to/file.handler>`: runs a memory sweep (the scenario's
 * `memory: [...]` list or --memory), in sequential, interleaved or random order, repeated and with
 * forced cold starts on request; then prices each setting, tests whether the faster ones are really
 * faster, prints the sweep table and the recommendation, and keeps it all in results.json.
 */
import { extname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ExitCode, InputError } from '../../core/errors.js';
import { analyzeSweep } from '../../cost/analyze-sweep.js';
import { loadPriceTable } from '../../cost/load-prices.js';
import { DEFAULT_PRICES } from '../../cost/prices.js';
import { writeResults } from '../../metrics/index.js';
import { PERCENTILES, STRATEGIES } from '../../metrics/sweep-schema.js';
import { writeReports } from '../../report/outputs.js';
import { formatSweepTable } from '../../report/sweep-table.js';
import { checkDeliveryChoices } from '../../run/delivery-choice.js';
import { startRun } from '../../run/run.js';
import { formatPlan, loadScenario, loadScenarioText, planRun, type Scenario } from '../../scenario/index.js';
import { DEFAULT_SWEEP_ORDER, SWEEP_ORDERS, type SweepOrderOptions } from '../../scenario/sweep-order.js';
import type { CommandFactory } from '../command.js';
import type { Io } from '../io.js';
import { applyKinesisEndpoint } from '../kinesis-endpoint.js';
import { parseArchitectures, parseMaxLatency, parseMemoryList } from '../sweep/parse-flags.js';
import { fromHandlerPath } from './invoke.js';
import { EXIT_INTERRUPTED } from './run.js';

interface SweepArgs {
  target: string;
  memory?: string;
  function?: string;
  order: (typeof SWEEP_ORDERS)[number];
  slices: number;
  repeat: number;
  coldStarts: number;
  strategy: (typeof STRATEGIES)[number];
  percentile: (typeof PERCENTILES)[number];
  weight: number;
  maxLatency?: string;
  maxCostPerMillion?: number;
  maxErrorRate: number;
  architecture: string;
  prices?: string;
  event?: string;
  duration: string;
  concurrency: number;
  timeout: string;
  seed?: number;
  set: string[];
  kinesisEndpoint?: string;
  durationScale?: number;
  output?: string;
  html: boolean;
  dryRun: boolean;
}

const usage = (field: string, message: string) =>
  new InputError('INVALID_ARGUMENT', message, { position: { file: 'command line', field } });

export const sweepCommand: CommandFactory = (io, setExit) => ({
  command: 'sweep <target>',
  describe: 'Right-size memory: run a memory sweep, price each setting, recommend one with evidence',
  builder: (y) =>
    y
      .positional('target', {
        type: 'string',
        describe: 'scenario YAML file, or a handler (path/to/file.export) to call directly',
        demandOption: true,
      })
      .option('memory', { type: 'string', describe: 'MB values and ranges: 128,256,1769 or 128..3008/64' })
      .option('function', {
        type: 'string',
        describe: 'the scenario function to sweep (default: the one with a memory list)',
      })
      .option('order', {
        choices: SWEEP_ORDERS,
        default: 'interleaved' as const,
        describe: 'order of settings',
      })
      .option('slices', {
        type: 'number',
        default: DEFAULT_SWEEP_ORDER.slices,
        describe: 'load slices per setting (interleaved, random)',
      })
      .option('repeat', {
        type: 'number',
        default: 1,
        describe: 'run the whole sweep K times; the table shows the spread',
      })
      .option('cold-starts', {
        type: 'number',
        default: 0,
        describe: 'force N fresh environments per setting and measure them',
      })
      .option('strategy', {
        choices: STRATEGIES,
        default: 'speed' as const,
        describe: 'what the recommendation optimises',
      })
      .option('percentile', {
        choices: PERCENTILES,
        default: 'p90' as const,
        describe: 'latency percentile for speed and balanced',
      })
      .option('weight', {
        type: 'number',
        default: 0.5,
        describe: 'balanced: weight of cost (1) against speed (0)',
      })
      .option('max-latency', { type: 'string', describe: 'constraint, e.g. p99<300ms' })
      .option('max-cost-per-million', { type: 'number', describe: 'constraint: USD per million invocations' })
      .option('max-error-rate', {
        type: 'number',
        default: 0.01,
        describe: 'a setting with more failed invocations fails',
      })
      .option('architecture', {
        type: 'string',
        default: 'x86_64',
        describe: 'price at x86_64, arm64 or both (x86_64,arm64)',
      })
      .option('prices', { type: 'string', describe: 'price table JSON for another region or rate' })
      .option('event', { type: 'string', describe: 'handler mode: event JSON file (default {})' })
      .option('duration', {
        type: 'string',
        default: '10s',
        describe: 'handler mode: load per setting (closed model)',
      })
      .option('concurrency', { type: 'number', default: 1, describe: 'handler mode: callers at once' })
      .option('timeout', { type: 'string', default: '60s', describe: 'handler mode: function timeout' })
      .option('seed', { type: 'number', describe: 'seed for events and the random order' })
      .option('set', {
        type: 'string',
        array: true,
        default: [],
        describe: 'override a scenario field (repeatable)',
      })
      .option('duration-scale', { type: 'number', describe: 'scale every phase duration' })
      .option('kinesis-endpoint', {
        type: 'string',
        describe: 'Kinesis sources use this Kinesis API (e.g. kinesalite) instead of the in-memory stream',
      })
      .option('output', {
        type: 'string',
        describe: 'folder for this run (default reports/<name>-<timestamp>)',
      })
      .option('html', {
        type: 'boolean',
        default: false,
        describe: 'also write report.html next to results.json',
      })
      .option('dry-run', { type: 'boolean', default: false, describe: 'print the plan and invoke nothing' }),
  handler: async (argv) => {
    const args = argv as unknown as SweepArgs;
    for (const [flag, value, min] of [
      ['--repeat', args.repeat, 1],
      ['--slices', args.slices, 1],
      ['--cold-starts', args.coldStarts, 0],
      ['--concurrency', args.concurrency, 1],
    ] as const) {
      if (!Number.isInteger(value) || value < min)
        throw usage(flag, `expected a whole number ≥ ${min}, got ${value}`);
    }
    if (!(args.weight >= 0 && args.weight <= 1))
      throw usage('--weight', `expected a number from 0 to 1, got ${args.weight}`);
    if (!(args.maxErrorRate >= 0 && args.maxErrorRate <= 1))
      throw usage('--max-error-rate', `expected a share from 0 to 1, got ${args.maxErrorRate}`);
    if (args.maxCostPerMillion !== undefined && !(args.maxCostPerMillion > 0))
      throw usage(
        '--max-cost-per-million',
        `expected a positive number of USD, got ${args.maxCostPerMillion}`,
      );
    const maxLatency = args.maxLatency === undefined ? undefined : parseMaxLatency(args.maxLatency);
    const architectures = parseArchitectures(args.architecture);
    const memory = args.memory === undefined ? undefined : parseMemoryList(args.memory);
    const prices =
      args.prices === undefined ? DEFAULT_PRICES : await loadPriceTable(resolve(io.cwd, args.prices));

    const loaded = await loadTarget(args, io, memory);
    if (args.kinesisEndpoint !== undefined) applyKinesisEndpoint(loaded, args.kinesisEndpoint);
    checkDeliveryChoices(loaded);
    const functionName = sweptFunctionName(loaded, args.function);
    const scenario = memory ? withMemory(loaded, functionName, memory) : loaded;
    const schedule: SweepOrderOptions = {
      order: args.order,
      repeat: args.repeat,
      slices: args.slices,
      coldStarts: args.coldStarts,
      seed: args.seed ?? scenario.seed,
    };
    const plan = planRun(scenario, schedule);
    if (args.dryRun) {
      io.stdout.write(formatPlan(plan));
      return;
    }
    io.stderr.write(formatPlan(plan));
    const handle = startRun({
      scenario,
      plan,
      ...(args.output === undefined ? {} : { outputDir: args.output }),
    });
    let interrupts = 0;
    const offSignal = io.onSignal((signal) => {
      interrupts += 1;
      io.stderr.write(
        `${signal}: ${interrupts === 1 ? 'stopping the sweep (again to stop now)' : 'stopping now'}\n`,
      );
      if (interrupts === 1) handle.abort(signal);
      else handle.abortNow(signal);
    });
    try {
      const outcome = await handle.done;
      const sweep = analyzeSweep(outcome.results, {
        strategy: args.strategy,
        percentile: args.percentile,
        weight: args.weight,
        maxErrorRate: args.maxErrorRate,
        architectures,
        prices,
        functionName,
        schedule,
        ...(maxLatency === undefined ? {} : { maxLatency }),
        ...(args.maxCostPerMillion === undefined ? {} : { maxCostPerMillion: args.maxCostPerMillion }),
      });
      const results = sweep ? { ...outcome.results, sweep } : outcome.results;
      const path = await writeResults(outcome.outputDir, results);
      if (sweep) io.stdout.write(formatSweepTable(sweep));
      io.stdout.write(`Results: ${path}\n`);
      if (args.html) {
        const [html] = await writeReports({
          results,
          thresholds: [],
          htmlPath: join(outcome.outputDir, 'report.html'),
        });
        io.stdout.write(`Report: ${html}\n`);
      }
      setExit(outcome.results.run.aborted ? EXIT_INTERRUPTED : ExitCode.Ok);
    } finally {
      offSignal();
    }
  },
});

/** A scenario file as it is, or a handler wrapped in a one-function scenario (closed model). */
async function loadTarget(args: SweepArgs, io: Io, memory: number[] | undefined): Promise<Scenario> {
  const options = {
    cwd: io.cwd,
    set: args.set,
    ...(args.durationScale === undefined ? {} : { durationScale: args.durationScale }),
  };
  const ext = extname(args.target).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return loadScenario(args.target, options);
  if (!memory) throw usage('--memory', 'a handler sweep needs --memory, e.g. --memory 128,256,512,1024,1769');
  const fn = fromHandlerPath(args.target, io.cwd);
  const file = resolve(io.cwd, 'lambench-sweep.yaml');
  const name = `sweep-${fn.handler.replace(/\.[^.]+$/, '')}`;
  let event: unknown = {};
  if (args.event !== undefined) {
    const { readFile } = await import('node:fs/promises');
    const path = resolve(io.cwd, args.event);
    try {
      event = JSON.parse(await readFile(path, 'utf8'));
    } catch (cause) {
      throw new InputError('EVENT_UNREADABLE', `cannot read the event as JSON: ${(cause as Error).message}`, {
        position: { file: path },
      });
    }
  }
  const text = stringify({
    name,
    seed: args.seed ?? 1,
    functions: {
      fn: {
        handler: relative(io.cwd, resolve(fn.codeDir, fn.handler)),
        runtime: fn.runtime,
        memory,
        timeout: args.timeout,
      },
    },
    sources: {
      calls: { invoke: event, to: 'fn', load: { concurrency: args.concurrency, duration: args.duration } },
    },
  });
  return loadScenarioText(text, file, options);
}

/** The function to sweep: --function, else the one with a memory list, else the only one invoked. */
function sweptFunctionName(scenario: Scenario, requested: string | undefined): string {
  const names = Object.keys(scenario.functions);
  if (requested !== undefined) {
    if (!names.includes(requested))
      throw usage('--function', `'${requested}': expected one of ${names.join(', ')}`);
    return requested;
  }
  const listed = Object.values(scenario.functions).filter((f) => f.memoryMB.length > 1);
  if (listed.length > 1) {
    throw usage(
      '--function',
      `several functions have memory lists (${listed.map((f) => f.name).join(', ')}); name one`,
    );
  }
  const only = listed[0]?.name ?? (names.length === 1 ? names[0] : undefined);
  if (only === undefined) throw usage('--function', `name the function to sweep: ${names.join(', ')}`);
  return only;
}

function withMemory(scenario: Scenario, name: string, memoryMB: number[]): Scenario {
  const fn = scenario.functions[name];
  if (fn === undefined) return scenario;
  return { ...scenario, functions: { ...scenario.functions, [name]: { ...fn, memoryMB } } };
}
