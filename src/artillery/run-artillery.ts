/**
 * `lambench run --engine artillery…`: each sweep point becomes an Artillery script, the user's
 * Artillery runs it with lambench's engine, and its JSON report is converted back into the same
 * results.json a native run writes (run.engine says which figures Artillery could not carry).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
import type { RunPlan } from '../scenario/plan.js';
import type { Scenario } from '../scenario/types.js';
import { artilleryEnv, findArtillery, findEngineFolder, runArtillery } from './artillery-cli.js';
import { CONVERSION_NOTES, convertArtilleryReport, parseArtilleryReport } from './convert.js';
import { artilleryScript } from './script.js';

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
  } else if (options.count !== undefined || options.region !== undefined) {
    throw new InputError(
      'USAGE',
      '--count and --region apply to --engine artillery-fargate|artillery-lambda only',
    );
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
  const install = findArtillery(options.cwd, options.env);
  const env = artilleryEnv(options.env, findEngineFolder(options.cwd));
  await mkdir(outputDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const points: PointResults[] = [];
  const notes = new Set<string>(CONVERSION_NOTES);
  if (options.engine !== 'artillery') {
    notes.add(`${options.engine}: every worker runs the whole script (--count multiplies the load)`);
  }
  let aborted = false;
  for (const point of plan.points) {
    if (options.signal?.aborted) break;
    const suffix = plan.points.length > 1 ? `-${point.index}` : '';
    const scriptPath = join(outputDir, `artillery-script${suffix}.yaml`);
    const reportPath = join(outputDir, `artillery-report${suffix}.json`);
    const { script, notes: scriptNotes } = artilleryScript(scenario, point, {
      scenarioFile: scenario.file,
      set: options.set,
      logs: join(outputDir, 'function-logs.txt'),
    });
    for (const n of scriptNotes) notes.add(n);
    await writeFile(scriptPath, `# Written by lambench run --engine ${options.engine}\n${stringify(script)}`);
    const began = performance.now();
    const exit = await runArtillery(install, artilleryArgs(options.engine, scriptPath, reportPath, options), {
      cwd: options.cwd,
      env,
      out: options.out,
      ...(options.signal ? { signal: options.signal } : {}),
    });
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
      }),
    );
    if (aborted) break;
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
        notes: [`functions ran in the emulator embedded in each Artillery worker`],
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
  return { results, resultsPath };
}
