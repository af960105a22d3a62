/**
 * The run plan (pure): sweep dimensions expanded into points that run one after another, and per
 * source the expected arrivals and duration from its phases — what `lambench run --dry-run`
 * prints before anything starts.
 */
import { expectedArrivals, totalDurationMs } from '../load/phases.js';
import {
  DEFAULT_SWEEP_ORDER,
  type PointSchedule,
  type SweepOrderOptions,
  sweepSchedule,
} from './sweep-order.js';
import type {
  Load,
  PullSource,
  Scenario,
  ScenarioSource,
  SkippedTemplateEvent,
  SourceKind,
} from './types.js';

/** Event source mapping settings that take a list (a sweep dimension), per pull source. */
export const MAPPING_SWEEP_SETTINGS = ['batchSize', 'batchingWindowMs', 'parallelizationFactor'] as const;
export type MappingSweepSetting = (typeof MAPPING_SWEEP_SETTINGS)[number];

/** The scenario field each mapping setting is written as. */
const MAPPING_FIELD: Record<MappingSweepSetting, string> = {
  batchSize: 'batchSize',
  batchingWindowMs: 'batchingWindow',
  parallelizationFactor: 'parallelizationFactor',
};

/** One list-valued setting: every value is tried, crossed with every other dimension. */
export type SweepDimension =
  | {
      /** The field that holds the list, e.g. `functions.thumbnailer.memory`. */
      field: string;
      setting: 'memoryMB';
      function: string;
      values: number[];
    }
  | {
      /** e.g. `sources.clicks.mapping.batchSize`. */
      field: string;
      setting: MappingSweepSetting;
      /** The pull source whose mapping the setting belongs to. */
      source: string;
      values: number[];
    };

/** One event source mapping's swept settings at a point (batching window in ms). */
export type MappingPoint = Record<MappingSweepSetting, number>;

/** One combination of sweep values; functions and mappings without a list keep their single setting. */
export interface SweepPoint {
  index: number;
  /** Memory in MB for every function a source invokes. */
  memoryMB: Record<string, number>;
  /** Batch size, batching window (ms) and parallelization factor of every pull source's mapping. */
  mapping: Record<string, MappingPoint>;
  /** Set by `lambench sweep`: the repeat, the slice of the load, or forced cold starts. */
  schedule?: PointSchedule;
}

export interface SourcePlan {
  name: string;
  kind: SourceKind;
  eventType?: string;
  /** `poll`: an event source mapping reads a stream or queue and invokes synchronously with batches. */
  invocation: 'sync' | 'async' | 'poll';
  to: string[];
  load: Load;
  /** Arrivals per sweep point; undefined for a closed model, where it depends on latency. */
  expectedEvents: number | undefined;
  /** How long arrivals last, in ms. */
  durationMs: number;
  /** `template:Function.Event` for sources a SAM template declared. */
  from?: string;
}

export interface RunPlan {
  scenario: string;
  file: string;
  target: 'local' | 'aws';
  seed: number;
  dimensions: SweepDimension[];
  points: SweepPoint[];
  sources: SourcePlan[];
  /** One sweep point: sources run side by side, so its length is the longest source's. */
  perPoint: { durationMs: number; graceMs: number; expectedEvents: number };
  total: {
    points: number;
    /** Arrival time over all points, in ms. */
    durationMs: number;
    /** With each point's grace for in-flight work used in full. */
    maxDurationMs: number;
    /** Events from open-model sources; closed-model sources add as many as latency allows. */
    expectedEvents: number;
    /** False when a closed-model source makes the count open-ended. */
    exact: boolean;
  };
  skipped: SkippedTemplateEvent[];
  notes: string[];
}

/**
 * The plan of a run. Without `sweep` every point runs its whole load once, in expansion order;
 * with it (`lambench sweep`) points follow the sweep's order, repeats, slices and cold starts.
 */
export function planRun(scenario: Scenario, sweep?: Partial<SweepOrderOptions>): RunPlan {
  const sources = Object.values(scenario.sources).map(planSource);
  const targeted = new Set(sources.flatMap((s) => s.to));
  const dimensions = [...sweepDimensions(scenario, targeted), ...mappingDimensions(scenario)];
  const settings = expandPoints(scenario, targeted, dimensions);
  const points = sweep
    ? orderPoints(settings, { ...DEFAULT_SWEEP_ORDER, seed: scenario.seed, ...sweep })
    : settings;
  // Slices split each setting's load; repeats multiply it.
  const loadRuns = sweep ? settings.length * Math.max(1, sweep.repeat ?? 1) : points.length;
  const durationMs = Math.max(0, ...sources.map((s) => s.durationMs));
  const expectedEvents = sources.reduce((sum, s) => sum + (s.expectedEvents ?? 0), 0);
  const exact = sources.every((s) => s.expectedEvents !== undefined);
  const graceMs = scenario.run.graceMs;
  return {
    scenario: scenario.name,
    file: scenario.file,
    target: scenario.target,
    seed: scenario.seed,
    dimensions,
    points,
    sources,
    perPoint: { durationMs, graceMs, expectedEvents },
    total: {
      points: points.length,
      durationMs: durationMs * loadRuns,
      maxDurationMs: durationMs * loadRuns + graceMs * points.length,
      expectedEvents: expectedEvents * loadRuns,
      exact,
    },
    skipped: scenario.skipped,
    notes: planNotes(scenario, targeted),
  };
}

function planSource(source: ScenarioSource): SourcePlan {
  const load = source.load;
  const plan: SourcePlan = {
    name: source.name,
    kind: source.kind,
    invocation: isPull(source) ? 'poll' : isAsync(source) ? 'async' : 'sync',
    to: source.to,
    load,
    expectedEvents: load.kind === 'open' ? expectedArrivals(load.phases) : undefined,
    durationMs: load.kind === 'open' ? totalDurationMs(load.phases) : load.durationMs,
  };
  if (source.eventType !== undefined) plan.eventType = (source.eventTypes ?? [source.eventType]).join(', ');
  if (source.origin)
    plan.from = `${source.origin.functionLogicalId}.${source.origin.eventName} (${source.origin.eventType})`;
  return plan;
}

function isPull(source: ScenarioSource): source is PullSource {
  return source.kind === 'kinesis' || source.kind === 'dynamodb' || source.kind === 'sqs';
}

/** How Lambda is invoked: S3, SNS, EventBridge and CloudFormation use the async queue. */
function isAsync(source: ScenarioSource): boolean {
  if (source.kind === 'invoke') return source.async;
  return source.kind !== 'apigateway' && source.kind !== 'alexa';
}

/** Memory lists of functions some source invokes (an unused function would only multiply runs). */
function sweepDimensions(scenario: Scenario, targeted: ReadonlySet<string>): SweepDimension[] {
  return Object.values(scenario.functions)
    .filter((fn) => targeted.has(fn.name) && fn.memoryMB.length > 1)
    .map((fn) => ({
      field: `functions.${fn.name}.memory`,
      function: fn.name,
      setting: 'memoryMB',
      values: fn.memoryMB,
    }));
}

/** List-valued batch size, batching window and parallelization factor of pull sources' mappings. */
function mappingDimensions(scenario: Scenario): SweepDimension[] {
  const dims: SweepDimension[] = [];
  for (const source of Object.values(scenario.sources)) {
    if (!isPull(source)) continue;
    for (const setting of MAPPING_SWEEP_SETTINGS) {
      const values = source.mapping[setting];
      if (values.length > 1)
        dims.push({
          field: `sources.${source.name}.mapping.${MAPPING_FIELD[setting]}`,
          setting,
          source: source.name,
          values,
        });
    }
  }
  return dims;
}

/** The cartesian product of the dimensions; the last dimension varies fastest. */
function expandPoints(
  scenario: Scenario,
  targeted: ReadonlySet<string>,
  dims: SweepDimension[],
): SweepPoint[] {
  const memoryMB: Record<string, number> = {};
  for (const fn of Object.values(scenario.functions)) {
    const first = fn.memoryMB[0];
    if (targeted.has(fn.name) && first !== undefined) memoryMB[fn.name] = first;
  }
  const mapping: Record<string, MappingPoint> = {};
  for (const source of Object.values(scenario.sources)) {
    if (!isPull(source)) continue;
    const m = source.mapping;
    mapping[source.name] = {
      batchSize: m.batchSize[0] ?? 100,
      batchingWindowMs: m.batchingWindowMs[0] ?? 0,
      parallelizationFactor: m.parallelizationFactor[0] ?? 1,
    };
  }
  let combos: Omit<SweepPoint, 'index'>[] = [{ memoryMB, mapping }];
  for (const dim of dims) {
    combos = combos.flatMap((combo) => dim.values.map((v) => withValue(combo, dim, v)));
  }
  return combos.map((combo, index) => ({ index, ...combo }));
}

function withValue(
  combo: Omit<SweepPoint, 'index'>,
  dim: SweepDimension,
  value: number,
): Omit<SweepPoint, 'index'> {
  if (dim.setting === 'memoryMB') return { ...combo, memoryMB: { ...combo.memoryMB, [dim.function]: value } };
  const current = combo.mapping[dim.source] as MappingPoint;
  return { ...combo, mapping: { ...combo.mapping, [dim.source]: { ...current, [dim.setting]: value } } };
}

/** Every swept setting of a point as `name → value`, e.g. `fn.memoryMB`, `clicks.batchSize` (results `parameters`). */
export function pointParameters(point: SweepPoint): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [fn, mb] of Object.entries(point.memoryMB)) out[`${fn}.memoryMB`] = mb;
  for (const [source, m] of Object.entries(point.mapping)) {
    for (const setting of MAPPING_SWEEP_SETTINGS) out[`${source}.${setting}`] = m[setting];
  }
  // Sweep points also say where they sit, so readers can group a setting's points back together:
  // `repeat` (1-based), `slice` ("2/4") and `phase` (`load` or `cold-starts`).
  const s = point.schedule;
  if (s !== undefined) {
    out.repeat = s.repeat + 1;
    if (s.slice) out.slice = `${s.slice.index + 1}/${s.slice.of}`;
    out.phase = s.coldStarts === undefined ? 'load' : 'cold-starts';
  }
  return out;
}

/** A point's settings in words: `fn=512MB clicks.batchSize=100 …` (mapping settings only when swept). */
export function pointLabel(point: SweepPoint, dims: readonly SweepDimension[] = []): string {
  const parts = Object.entries(point.memoryMB).map(([fn, mb]) => `${fn}=${mb}MB`);
  for (const dim of dims) {
    if (dim.setting === 'memoryMB') continue;
    const value = point.mapping[dim.source]?.[dim.setting];
    const shown = dim.setting === 'batchingWindowMs' ? `${value}ms` : String(value);
    parts.push(`${dim.source}.${MAPPING_FIELD[dim.setting]}=${shown}`);
  }
  const s = point.schedule;
  if (s !== undefined) {
    if (s.repeat > 0) parts.push(`repeat ${s.repeat + 1}`);
    if (s.slice) parts.push(`slice ${s.slice.index + 1}/${s.slice.of}`);
    if (s.coldStarts !== undefined) parts.push(`${s.coldStarts} forced cold starts`);
  }
  return parts.join(' ');
}

/** The expanded settings in sweep order, each point carrying its schedule. */
function orderPoints(settings: SweepPoint[], options: SweepOrderOptions): SweepPoint[] {
  return sweepSchedule(settings.length, options).map((schedule, index) => ({
    ...(settings[schedule.setting] as SweepPoint),
    index,
    schedule,
  }));
}

function planNotes(scenario: Scenario, targeted: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  for (const fn of Object.keys(scenario.functions)) {
    if (!targeted.has(fn)) notes.push(`function ${fn} is not invoked by any source; it is not run`);
  }
  if (scenario.expect.length > 0) {
    const aborting = scenario.expect.filter((t) => t.abortOnFail).length;
    notes.push(
      `${scenario.expect.length} threshold(s) checked after the run${aborting > 0 ? `, ${aborting} of them also during it (abortOnFail)` : ''}: ${scenario.expect.map((t) => t.expression).join('; ')}`,
    );
  }
  const r = scenario.report;
  if (r !== undefined) {
    const outputs = [
      r.html ? 'report.html' : '',
      r.summary === 'md' ? 'summary.md' : '',
      r.junit ? r.junit : '',
    ].filter((x) => x !== '');
    if (outputs.length > 0) notes.push(`writes ${outputs.join(', ')} next to results.json`);
    if (r.baseline) notes.push(`compares with the baseline ${r.baseline}`);
  }
  return notes;
}
