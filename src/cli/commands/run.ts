/**
 * `lambench run <scenario.yaml>`: loads and plans the scenario, prints the plan, runs it with a live
 * progress display, and prints the summary and where the results were written. Ctrl-C stops
 * arrivals and lets in-flight work finish for the grace period; a second Ctrl-C stops at once.
 */
import { createInterface } from 'node:readline';
import { ARTILLERY_ENGINES, type ArtilleryEngine, runWithArtillery } from '../../artillery/run-artillery.js';
import { ExitCode, InputError } from '../../core/errors.js';
import type { Recorder } from '../../metrics/index.js';
import { createProgress } from '../../report/progress.js';
import { formatSummary } from '../../report/summary.js';
import { applyInvocationType, checkDeliveryChoices, deliveryLines } from '../../run/delivery-choice.js';
import { functionDefinition } from '../../run/functions.js';
import { defaultOutputDir, startRun } from '../../run/run.js';
import { formatPlan, loadScenario, planRun, type RunPlan, type Scenario } from '../../scenario/index.js';
import { worstCaseCostUsd } from '../../targets/aws/estimate.js';
import { preflight } from '../../targets/aws/preflight.js';
import { type AwsRunOptions, awsConnection } from '../../targets/create.js';
import type { CommandFactory } from '../command.js';
import { type Io, println } from '../io.js';
import { applyKinesisEndpoint } from '../kinesis-endpoint.js';
import {
  afterRun,
  type CiPlan,
  planCi,
  type RunCiArgs,
  watchAbortThresholds,
  withCiOptions,
} from './run-ci.js';

/** Exit code of a run stopped by Ctrl-C or SIGTERM (its results are still written). */
export const EXIT_INTERRUPTED = 130;

interface RunArgs extends RunCiArgs {
  scenario: string;
  dryRun: boolean;
  set: string[];
  durationScale?: number;
  output?: string;
  progress: boolean;
  target?: 'local' | 'aws';
  invocationType?: 'Event' | 'RequestResponse';
  endpoint?: string;
  kinesisEndpoint?: string;
  /** The aws target's region, and the region of --engine artillery-fargate|artillery-lambda. */
  region?: string;
  profile?: string;
  yes: boolean;
  invokePath: 'http' | 'sdk';
  // --engine (issue 11): who generates the load.
  engine: 'lambench' | ArtilleryEngine;
  count?: number;
}

export const runCommand: CommandFactory = (io, setExit) => ({
  command: 'run <scenario>',
  describe: 'Run a scenario file: generate events, deliver them, record latency and cold starts',
  builder: (y) =>
    withCiOptions(y)
      .positional('scenario', { type: 'string', describe: 'scenario YAML file', demandOption: true })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'print the run plan and invoke nothing',
      })
      .option('set', {
        type: 'string',
        array: true,
        default: [],
        describe: 'override a scenario field: --set sources.api.load[0].arrivalRate=10 (repeatable)',
      })
      .option('duration-scale', {
        type: 'number',
        describe: 'scale every phase duration (e.g. 0.1 for quick CI runs)',
      })
      .option('output', {
        type: 'string',
        describe: 'folder for this run (default reports/<name>-<timestamp>)',
      })
      .option('progress', {
        type: 'boolean',
        default: true,
        describe: 'show live progress (--no-progress to hide)',
      })
      .option('target', {
        choices: ['local', 'aws'] as const,
        describe: "where the functions run (default: the scenario's target, else local)",
      })
      .option('endpoint', {
        type: 'string',
        describe: 'aws target: another endpoint speaking the AWS protocols (e.g. http://127.0.0.1:9001)',
      })
      .option('profile', { type: 'string', describe: 'aws target: a named profile of the shared config' })
      .option('kinesis-endpoint', {
        type: 'string',
        describe: 'Kinesis sources use this Kinesis API (e.g. kinesalite) instead of the in-memory stream',
      })
      .option('yes', {
        type: 'boolean',
        default: false,
        describe: 'aws target: change and invoke the functions without asking',
      })
      .option('invocation-type', {
        choices: ['Event', 'RequestResponse'] as const,
        describe:
          'aws target, async sources (s3, sns, eventbridge, async invoke): Event sends real Event invokes and reads figures from CloudWatch Logs; RequestResponse (default) measures each call',
      })
      .option('invoke-path', {
        choices: ['http', 'sdk'] as const,
        default: 'http' as const,
        describe: "aws target: signed HTTP pool (fast) or the SDK's InvokeCommand",
      })
      // --engine and the Artillery pass-through flags (issue 11).
      .option('engine', {
        choices: ['lambench', ...ARTILLERY_ENGINES],
        default: 'lambench',
        describe:
          'load generator: lambench itself, or Artillery with the lambench engine (locally, on Fargate, on Lambda)',
      })
      .option('count', {
        type: 'number',
        describe:
          'Artillery workers for --engine artillery-fargate|artillery-lambda (each runs the whole load)',
      })
      .option('region', {
        type: 'string',
        describe:
          'AWS region: of the aws target (default: profile or AWS_REGION), or for --engine artillery-fargate|artillery-lambda',
      }),
  handler: async (argv) => {
    const args = argv as unknown as RunArgs;
    if (args.durationScale !== undefined && !(args.durationScale > 0)) {
      throw new InputError(
        'USAGE',
        `--duration-scale: expected a number greater than 0, got ${args.durationScale}`,
      );
    }
    const scenario = await loadScenario(args.scenario, {
      cwd: io.cwd,
      set: args.set,
      ...(args.durationScale === undefined ? {} : { durationScale: args.durationScale }),
    });
    if (args.target !== undefined) scenario.target = args.target;
    if (args.kinesisEndpoint !== undefined) applyKinesisEndpoint(scenario, args.kinesisEndpoint);
    if (args.invocationType !== undefined) applyInvocationType(scenario, args.invocationType);
    checkDeliveryChoices(scenario, args.engine);
    const plan = planRun(scenario);
    const ci = planCi(args, scenario, io);
    if (args.dryRun) {
      io.stdout.write(ensureNewline(formatPlan(plan)));
      return;
    }
    io.stderr.write(ensureNewline(formatPlan(plan)));
    // The same preflight and confirmation whichever engine generates the load.
    const aws = scenario.target === 'aws' ? awsConnection(scenario, awsFlags(args)) : undefined;
    if (aws !== undefined && !(await confirmAws(io, scenario, plan, aws, args.yes))) {
      println(io.stderr, 'not confirmed: nothing was changed or invoked');
      setExit(ExitCode.BadInput);
      return;
    }
    if (args.engine !== 'lambench') {
      await runArtilleryEngine({ ...args, engine: args.engine }, scenario, plan, ci, io, setExit, aws);
      return;
    }

    // Each sweep point has its own recorder; the display shows time over the whole run.
    let recorder: Recorder | undefined;
    let earlierPointsMs = 0;
    const snapshot = () => {
      const s = recorder?.snapshot();
      return s && { ...s, elapsedMs: s.elapsedMs + earlierPointsMs };
    };
    const handle = startRun({
      scenario,
      plan,
      ...(args.output === undefined ? {} : { outputDir: args.output }),
      ...(aws === undefined ? {} : { aws, log: (line: string) => println(io.stderr, line) }),
      onRecorder: (r) => {
        earlierPointsMs += recorder?.snapshot().elapsedMs ?? 0;
        recorder = r;
      },
    });
    const progress = args.progress
      ? createProgress({
          stream: io.stderr,
          isTTY: io.stderr.isTTY === true,
          snapshot,
          totalMs: plan.total.durationMs,
        })
      : undefined;
    const say = (line: string) => (progress ? progress.println(line) : println(io.stderr, line));
    const abortWatch = watchAbortThresholds(
      scenario,
      () => ({ recorder, elapsedMs: snapshot()?.elapsedMs ?? 0 }),
      (reason) => handle.abort(reason),
      say,
    );
    let interrupts = 0;
    const offSignal = io.onSignal((signal) => {
      interrupts += 1;
      if (interrupts === 1) {
        say(
          `${signal}: stopping arrivals; in-flight work may finish for ${scenario.run.graceMs / 1000}s (again to stop now)`,
        );
        handle.abort(signal);
      } else {
        say(`${signal}: stopping now`);
        handle.abortNow(signal);
      }
    });
    try {
      const outcome = await handle.done;
      abortWatch.stop();
      progress?.stop();
      const summary = ensureNewline(
        formatSummary(outcome.results, {
          color: (ci.markdown ? io.stderr.isTTY : io.stdout.isTTY) === true,
          resultsPath: outcome.resultsPath,
        }),
      );
      const checked = await afterRun(ci, outcome.results, outcome.resultsPath, io, summary);
      // A threshold that aborted the run failed it; Ctrl-C is reported as an interruption.
      if (abortWatch.failed()) setExit(ExitCode.ThresholdFailed);
      else if (outcome.results.run.aborted) setExit(EXIT_INTERRUPTED);
      else setExit(checked.exitCode);
    } finally {
      abortWatch.stop();
      progress?.stop();
      offSignal();
    }
  },
});

function awsFlags(args: RunArgs): AwsRunOptions {
  return {
    invokePath: args.invokePath,
    ...(args.endpoint === undefined ? {} : { endpoint: args.endpoint }),
    ...(args.region === undefined ? {} : { region: args.region }),
    ...(args.profile === undefined ? {} : { profile: args.profile }),
  };
}

/**
 * Prints what a run will do in the account and asks before doing it. Without a terminal to ask on,
 * only --yes lets it go ahead: a script must say so explicitly.
 */
async function confirmAws(
  io: Io,
  scenario: Scenario,
  plan: RunPlan,
  aws: AwsRunOptions,
  yes: boolean,
): Promise<boolean> {
  const functions = Object.values(scenario.functions).map((fn) => ({
    definition: functionDefinition(fn),
    memoryMB: [...new Set(plan.points.map((p) => p.memoryMB[fn.name]).filter((m) => m !== undefined))],
  }));
  const described = await preflight({
    connection: aws,
    functions: functions.filter((f) => f.memoryMB.length > 0),
    expectedInvocations: plan.total.expectedEvents,
    exact: plan.total.exact,
    estimatedCostUsd: worstCaseCostUsd(
      plan,
      Object.fromEntries(functions.map((f) => [f.definition.name, f.definition.timeoutS])),
    ),
  });
  for (const line of described.lines) println(io.stderr, line);
  for (const line of deliveryLines(scenario)) println(io.stderr, line);
  if (yes) return true;
  if ((io.stdin as { isTTY?: boolean }).isTTY !== true) {
    throw new InputError(
      'CONFIRM',
      `refusing to change and invoke functions in AWS account ${described.account} without confirmation: there is no terminal to ask on; pass --yes`,
    );
  }
  io.stderr.write('Proceed? [y/N] ');
  const answer = await readLine(io.stdin);
  return /^y(es)?$/i.test(answer.trim());
}

function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stream, terminal: false });
    rl.once('line', (line) => {
      rl.close();
      resolve(line);
    });
    rl.once('close', () => resolve(''));
  });
}

/**
 * `--engine artillery…`: Artillery drives the arrivals; the summary, reports, thresholds and the
 * baseline comparison read the converted results like a native run's.
 */
async function runArtilleryEngine(
  args: RunArgs & { engine: ArtilleryEngine },
  scenario: Scenario,
  plan: RunPlan,
  ci: CiPlan,
  io: Io,
  setExit: (code: number) => void,
  aws: AwsRunOptions | undefined,
): Promise<void> {
  const controller = new AbortController();
  const offSignal = io.onSignal(() => controller.abort());
  try {
    const outcome = await runWithArtillery({
      engine: args.engine,
      scenario,
      plan,
      set: args.set,
      outputDir: args.output ?? defaultOutputDir(scenario, Date.now()),
      cwd: io.cwd,
      env: io.env,
      out: io.stderr,
      ...(args.count === undefined ? {} : { count: args.count }),
      ...(args.region === undefined ? {} : { region: args.region }),
      ...(aws === undefined ? {} : { aws, log: (line: string) => println(io.stderr, line) }),
      signal: controller.signal,
    });
    const summary = ensureNewline(
      formatSummary(outcome.results, {
        color: (ci.markdown ? io.stderr.isTTY : io.stdout.isTTY) === true,
        resultsPath: outcome.resultsPath,
      }),
    );
    const checked = await afterRun(ci, outcome.results, outcome.resultsPath, io, summary);
    setExit(outcome.results.run.aborted ? EXIT_INTERRUPTED : checked.exitCode);
  } finally {
    offSignal();
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
