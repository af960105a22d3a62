/**
 * A whole run: deploys the scenario's functions on the target, runs each sweep point in turn,
 * measures the harness itself all along, and writes results.json — also when the run is aborted or
 * its ledger does not add up (then the error follows the write).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '../core/clock.js';
import { InputError, LambenchError } from '../core/errors.js';
import { LAMBENCH_VERSION } from '../core/version.js';
import { LATE_TOLERANCE_MS, STALL_MS, startHarnessMonitor } from '../load/index.js';
import { harnessVerdict, markDelayedSeconds, type PointTiming } from '../metrics/harness-verdict.js';
import {
  assembleResults,
  harnessSection,
  type LedgerImbalanceError,
  machineInfo,
  type PointResults,
  type Recorder,
  type Results,
  writeResults,
} from '../metrics/index.js';
import { pointLabel, type RunPlan } from '../scenario/plan.js';
import type { Scenario } from '../scenario/types.js';
import { type AwsRunOptions, createTarget } from '../targets/create.js';
import type { Target } from '../targets/types.js';
import { createEventFactory, type EventFactory } from './event-factory.js';
import { functionDefinition } from './functions.js';
import { runPoint, StopSignal } from './point.js';

/**
 * Late arrivals (> LATE_TOLERANCE_MS) above this fraction make the harness verdict not clean: past
 * 1% the run's p99 is the harness's lateness rather than the function's.
 */
const LATE_LIMIT_FRACTION = 0.01;

export interface RunOptions {
  scenario: Scenario;
  plan: RunPlan;
  clock?: Clock;
  /** Folder for this run's files; default `<scenario.run.outputDir>/<name>-<timestamp>`. */
  outputDir?: string;
  /** The current point's recorder, whenever a point starts (for the progress display). */
  onRecorder?(recorder: Recorder, pointIndex: number): void;
  /** Connection settings for `target: aws` (command line over the scenario's `aws:` block). */
  aws?: AwsRunOptions;
  /** Lines for the user from the target (restore steps on AWS). */
  log?(line: string): void;
}

export interface RunHandle {
  readonly outputDir: string;
  /** Stops arrivals; in-flight work gets the grace period; results are written, marked aborted. */
  abort(reason: string): void;
  /** Stops at once: environments are stopped, whatever has no outcome is recorded in flight. */
  abortNow(reason: string): void;
  readonly done: Promise<RunOutcome>;
}

export interface RunOutcome {
  results: Results;
  resultsPath: string;
  outputDir: string;
}

export function startRun(options: RunOptions): RunHandle {
  const { scenario } = options;
  const clock = options.clock ?? systemClock;
  const outputDir = options.outputDir ?? defaultOutputDir(scenario, clock.wallNow());
  const stop = new StopSignal();
  let target: Target | undefined;
  const done = (async (): Promise<RunOutcome> => {
    await mkdir(outputDir, { recursive: true });
    const factories = await eventFactories(scenario, clock.wallNow());
    const logs = logWriter(createWriteStream(join(outputDir, 'function-logs.txt')));
    target = await createTarget(scenario, {
      outputDir,
      onLog: logs.write,
      ...(options.aws === undefined ? {} : { aws: options.aws }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const startedAt = new Date(clock.wallNow()).toISOString();
    const monitor = startHarnessMonitor({ intervalMs: 1000 });
    const points: PointResults[] = [];
    const timings: PointTiming[] = [];
    let imbalance: LedgerImbalanceError | undefined;
    let closeError: unknown;
    try {
      for (const fn of Object.values(scenario.functions)) await target.ensureFunction(functionDefinition(fn));
      const prepared = new Map<string, string>();
      for (const point of options.plan.points) {
        if (stop.level !== 'none') break;
        const outcome = await runPoint({
          prepared,
          scenario,
          point,
          label: pointLabel(point, options.plan.dimensions),
          target,
          clock,
          outputDir,
          factories,
          stopSignal: stop,
          onStart: () => monitor.cut(),
          onRecorder: (r) => options.onRecorder?.(r, point.index),
        });
        points.push(outcome.results);
        timings.push({
          results: outcome.results,
          startEpochMs: outcome.startEpochMs,
          endEpochMs: outcome.endEpochMs,
          lateBySecond: outcome.lateBySecond,
        });
        imbalance ??= outcome.imbalance;
      }
    } finally {
      monitor.stop();
      // A target that cannot put things back (AWS restore) must not cost the user the results.
      closeError = await target.close().then(
        () => undefined,
        (error: unknown) => error,
      );
      await logs.end();
    }
    const verdict = harnessVerdict({
      samples: monitor.samples(),
      stalls: monitor.stalls(),
      points: timings,
      stallThresholdMs: STALL_MS,
      lateToleranceMs: LATE_TOLERANCE_MS,
      lateLimitFraction: LATE_LIMIT_FRACTION,
    });
    markDelayedSeconds(points, verdict);
    const results = assembleResults(
      {
        scenarioName: scenario.name,
        scenario,
        seed: scenario.seed,
        startedAt,
        endedAt: new Date(clock.wallNow()).toISOString(),
        aborted: stop.level !== 'none',
        ...(stop.reason === undefined ? {} : { abortReason: stop.reason }),
        lambenchVersion: LAMBENCH_VERSION,
        nodeVersion: process.version,
        machine: machineInfo(),
        target: {
          kind: target.info.kind,
          notes: target.info.notes,
          ...cpuLimiterOf(target),
          ...interpretersOf(target),
        },
        harness: harnessSection(monitor.samples(), verdict),
      },
      points,
    );
    const resultsPath = await writeResults(outputDir, results);
    if (closeError !== undefined) throw closeError;
    if (imbalance)
      throw new LambenchError(imbalance.code, `${imbalance.message} (results written to ${resultsPath})`, {
        cause: imbalance,
      });
    return { results, resultsPath, outputDir };
  })();
  return {
    outputDir,
    abort: (reason) => stop.raise('graceful', reason),
    abortNow: (reason) => stop.raise('now', reason),
    done,
  };
}

/** `<scenario.run.outputDir>/<name>-<timestamp>`: where a run's files go unless told otherwise. */
export function defaultOutputDir(scenario: Scenario, epochMs: number): string {
  return join(scenario.run.outputDir, `${slug(scenario.name)}-${timestamp(epochMs)}`);
}

/** One factory per source, built before anything starts, with event 0 generated as a check. */
async function eventFactories(scenario: Scenario, nowMs: number): Promise<Map<string, EventFactory>> {
  const out = new Map<string, EventFactory>();
  for (const source of Object.values(scenario.sources)) {
    const factory = await createEventFactory(source, scenario.seed, nowMs);
    try {
      await factory(0);
    } catch (error) {
      if (error instanceof LambenchError) {
        throw new InputError(error.code, `sources.${source.name}: ${error.message}`, {
          position: source.position,
          cause: error,
        });
      }
      throw error;
    }
    out.set(source.name, factory);
  }
  return out;
}

/** Log lines are gathered and written in chunks: a write per line cost the harness 7% of its CPU at 3,000/s. */
const LOG_CHUNK_BYTES = 64 * 1024;
const LOG_FLUSH_MS = 200;

function logWriter(stream: WriteStream): {
  write: (functionName: string, line: string) => void;
  end: () => Promise<void>;
} {
  let pending: string[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 || stream.writableEnded) return;
    stream.write(pending.join(''));
    pending = [];
    bytes = 0;
  };
  return {
    write(functionName, line) {
      // Environments stopped at the end of the run may still flush a last line after the file closed.
      if (stream.writableEnded) return;
      const text = `${functionName}\t${line}\n`;
      pending.push(text);
      bytes += text.length;
      if (bytes >= LOG_CHUNK_BYTES) flush();
      else if (timer === undefined) {
        timer = setTimeout(flush, LOG_FLUSH_MS);
        timer.unref();
      }
    },
    end() {
      flush();
      return new Promise<void>((resolve) => stream.end(resolve));
    },
  };
}

function cpuLimiterOf(target: Target): { cpuLimiter?: string } {
  return target.info.cpuLimiter === undefined ? {} : { cpuLimiter: target.info.cpuLimiter };
}

function interpretersOf(target: Target): {
  interpreters?: Record<string, { path: string; version: string }>;
} {
  const interpreters = target.info.interpreters;
  return interpreters === undefined || Object.keys(interpreters).length === 0 ? {} : { interpreters };
}

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
}

function timestamp(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
