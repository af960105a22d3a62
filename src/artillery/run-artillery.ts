/**
 * `lambench run --engine artillery…`: each sweep point becomes an Artillery script, the user's
 * Artillery runs it with lambench's engine, and its JSON report is converted back into the same
 * results.json a native run writes (run.engine says which figures Artillery could not carry).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { InputError, LambenchError } from '../core/errors.js';
import { LAMBENCH_VERSION } from '../core/version.js';
import {
  assembleResults,
  machineInfo,
  type PointResults,
  type Results,
  writeResults,
} from '../metrics/index.js';
import { functionDefinition } from '../run/functions.js';
import type { RunPlan, SweepPoint } from '../scenario/plan.js';
import type { Scenario } from '../scenario/types.js';
import { type AwsTarget, createAwsTarget } from '../targets/aws/target.js';
import { type AwsRunOptions, awsConnection, journalPath } from '../targets/create.js';
import { artilleryEnv, findArtillery, findEngineFolder, runArtillery } from './artillery-cli.js';
import { CONVERSION_NOTES, convertArtilleryReport, parseArtilleryReport } from './convert.js';
import { artilleryScript } from './script.js';
import { includeFiles, relativeFrom, scenarioInputs } from './worker-files.js';

export const ARTILLERY_ENGINES = ['artillery', 'artillery-fargate', 'artillery-lambda'] as const;
export type ArtilleryEngine = (typeof ARTILLERY_ENGINES)[number];

export interface ArtilleryRunOptions {
  engine: ArtilleryEngine;
  scenario: Scenario;
  plan: RunPlan;
  /** The `--set` overrides, passed on so the engine loads the same scenario. */
  set: readonly string[];
  outputDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where Artillery's own output goes (lambench's stderr). */
  out: NodeJS.WritableStream;
  /** Distributed modes: workers (`--count`) and AWS region (`--region`). */
  count?: number;
  region?: string;
  /**
   * `target: aws`, confirmed by the user: lambench publishes each point's settings once here,
   * the workers only invoke them, and the account is restored when Artillery is done.
   */
  aws?: AwsRunOptions;
  /** Lines for the user (restore steps on AWS). */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** Artillery's sub-command and flags for the engine mode (pure). */
export function artilleryArgs(
  engine: ArtilleryEngine,
  scriptPath: string,
  reportPath: string,
  options: { count?: number; region?: string },
): string[] {
  const command = { artillery: 'run', 'artillery-fargate': 'run-fargate', 'artillery-lambda': 'run-lambda' }[
    engine
  ];
  const args = [command, '--output', reportPath];
  if (engine !== 'artillery') {
    if (options.count !== undefined) args.push('--count', String(options.count));
    if (options.region !== undefined) args.push('--region', options.region);
  } else if (options.count !== undefined) {
    throw new InputError('USAGE', '--count applies to --engine artillery-fargate|artillery-lambda only');
  }
  args.push(scriptPath);
  return args;
}

export async function runWithArtillery(
  options: ArtilleryRunOptions,
): Promise<{ results: Results; resultsPath: string }> {
  const { scenario, plan, outputDir } = options;
  const mappingSweep = plan.dimensions.find((d) => d.setting !== 'memoryMB');
  if (mappingSweep !== undefined) {
    throw new InputError(
      'ARTILLERY_SWEEP',
      `${mappingSweep.field}: --engine artillery sweeps memory settings only; give the mapping a single value`,
      { position: { file: scenario.file, field: mappingSweep.field } },
    );
  }
  if (options.engine === 'artillery' && options.region !== undefined && scenario.target !== 'aws') {
    throw new InputError(
      'USAGE',
      '--region applies to --target aws and --engine artillery-fargate|artillery-lambda only',
    );
  }
  const install = findArtillery(options.cwd, options.env);
  const env = artilleryEnv(options.env, findEngineFolder(options.cwd));
  await mkdir(outputDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const points: PointResults[] = [];
  const notes = new Set<string>(CONVERSION_NOTES);
  if (options.engine !== 'artillery') {
    notes.add(`${options.engine}: every worker runs the whole script (--count multiplies the load)`);
  }
  // Paths in the script are relative to it, and includeFiles lists what a distributed worker
  // needs: Artillery ships the script and those files together, keeping their relative layout.
  const scriptDir = resolve(outputDir);
  const inputs = includeFiles(scenarioInputs(scenario, scriptDir), scriptDir);
  const aws =
    options.aws === undefined ? undefined : await openAws(scenario, options.aws, outputDir, options.log);
  if (aws !== undefined) {
    notes.add(
      'target aws: lambench published each memory setting once and restored the functions after Artillery finished; the workers only invoked them',
    );
  }
  let aborted = false;
  let closeError: unknown;
  try {
    for (const point of plan.points) {
      if (options.signal?.aborted) break;
      const suffix = plan.points.length > 1 ? `-${point.index}` : '';
      const scriptPath = join(outputDir, `artillery-script${suffix}.yaml`);
      const reportPath = join(outputDir, `artillery-report${suffix}.json`);
      const qualifiers = aws === undefined ? undefined : await prepareAws(aws, scenario, point);
      const { script, notes: scriptNotes } = artilleryScript(scenario, point, {
        scenarioFile: relativeFrom(scriptDir, scenario.file),
        set: options.set,
        logs: './function-logs.txt',
        includeFiles: inputs,
        ...(aws === undefined || qualifiers === undefined
          ? {}
          : { aws: { target: 'aws', aws: aws.connection, qualifiers } }),
      });
      for (const n of scriptNotes) notes.add(n);
      await writeFile(
        scriptPath,
        `# Written by lambench run --engine ${options.engine}\n${stringify(script)}`,
      );
      const began = performance.now();
      const exit = await runArtillery(
        install,
        artilleryArgs(options.engine, scriptPath, reportPath, options),
        {
          cwd: options.cwd,
          env,
          out: options.out,
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      const durationMs = performance.now() - began;
      if (exit.signal !== null || exit.code === 130 || exit.code === 143) aborted = true;
      let text: string;
      try {
        text = await readFile(reportPath, 'utf8');
      } catch {
        throw new LambenchError(
          'ARTILLERY_FAILED',
          `artillery ${artilleryArgs(options.engine, scriptPath, reportPath, options)[0]} exited with ${exit.code ?? exit.signal} and wrote no report${exit.stderrTail ? `: ${exit.stderrTail}` : ''}`,
        );
      }
      const label = Object.entries(point.memoryMB)
        .map(([fn, mb]) => `${fn}=${mb}MB`)
        .join(' ');
      const parameters = Object.fromEntries(
        Object.entries(point.memoryMB).map(([fn, mb]) => [`${fn}.memoryMB`, mb]),
      );
      points.push(
        convertArtilleryReport(parseArtilleryReport(text, reportPath), scenario, point, {
          label,
          parameters,
          durationMs,
          ...(qualifiers === undefined ? {} : { qualifiers }),
        }),
      );
      if (aborted) break;
    }
  } finally {
    // A restore that fails must not cost the user the results: they are written, then it is reported.
    closeError = await aws?.target.close().then(
      () => undefined,
      (error: unknown) => error,
    );
  }
  const results = assembleResults(
    {
      scenarioName: scenario.name,
      scenario,
      seed: scenario.seed,
      startedAt,
      endedAt: new Date().toISOString(),
      aborted,
      ...(aborted ? { abortReason: 'Artillery was interrupted' } : {}),
      lambenchVersion: LAMBENCH_VERSION,
      nodeVersion: process.version,
      machine: machineInfo(),
      target: {
        kind: scenario.target,
        notes:
          aws === undefined
            ? ['functions ran in the emulator embedded in each Artillery worker']
            : aws.target.info.notes,
      },
      harness: { saturated: false, samples: [] },
      engine: {
        name: 'artillery',
        version: install.version,
        command: `artillery ${artilleryArgs(options.engine, '', '', {}).at(0) ?? 'run'}`,
        notes: [...notes],
      },
    },
    points,
  );
  const resultsPath = await writeResults(outputDir, results);
  if (closeError !== undefined) throw closeError;
  return { results, resultsPath };
}

interface AwsSession {
  target: AwsTarget;
  /** What the workers connect with: the resolved region, never credentials. */
  connection: AwsRunOptions;
}

async function openAws(
  scenario: Scenario,
  options: AwsRunOptions,
  outputDir: string,
  log: ((line: string) => void) | undefined,
): Promise<AwsSession> {
  const connection = awsConnection(scenario, options);
  const target = await createAwsTarget({
    ...connection,
    journalPath: journalPath(outputDir),
    ...(log === undefined ? {} : { log }),
  });
  try {
    for (const fn of Object.values(scenario.functions)) await target.ensureFunction(functionDefinition(fn));
  } catch (error) {
    await target.close();
    throw error;
  }
  const { credentials: _never, ...shared } = connection;
  return { target, connection: { ...shared, region: target.region } };
}

/** Publishes the point's memory settings (journalled) and returns the qualifier per function. */
async function prepareAws(
  aws: AwsSession,
  scenario: Scenario,
  point: SweepPoint,
): Promise<Record<string, string>> {
  const qualifiers: Record<string, string> = {};
  for (const fn of Object.values(scenario.functions)) {
    const memoryMB = point.memoryMB[fn.name];
    if (memoryMB === undefined) continue;
    qualifiers[fn.name] = await aws.target.prepare(functionDefinition(fn), { memoryMB });
  }
  return qualifiers;
}
