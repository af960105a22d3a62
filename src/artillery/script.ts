/**
 * The Artillery script for one sweep point of a lambench scenario (pure): Artillery's phases carry
 * the scenario's arrivals, one Artillery scenario per source runs a single `lambench` step, and
 * `config.engines.lambench` names the scenario file and the point's memory settings.
 */
import { InputError } from '../core/errors.js';
import type { Phase } from '../load/types.js';
import type { SweepPoint } from '../scenario/plan.js';
import type { Scenario, ScenarioSource } from '../scenario/types.js';
import type { EngineConfig } from './engine-session.js';

export interface ArtilleryPhase {
  duration?: number | string;
  arrivalRate?: number;
  rampTo?: number;
  arrivalCount?: number;
  pause?: number | string;
}

export interface ArtilleryScript {
  config: {
    target: string;
    phases: ArtilleryPhase[];
    engines: { lambench: EngineConfig };
    /** What distributed workers need besides the script (relative to it; folders expanded). */
    includeFiles?: string[];
  };
  scenarios: Array<{
    name: string;
    engine: 'lambench';
    weight: number;
    flow: Array<{ lambench: { source: string } }>;
  }>;
}

export interface ScriptOptions {
  /** The scenario file as the engine loads it: relative to the script's folder. */
  scenarioFile: string;
  set: readonly string[];
  /** The file the functions' logs are appended to (relative to the script's folder). */
  logs?: string;
  /** `config.includeFiles`: the scenario's inputs, relative to the script's folder. */
  includeFiles?: readonly string[];
  /** `target: aws`: where and what the engine invokes (lambench run prepared it). */
  aws?: Pick<EngineConfig, 'target' | 'aws' | 'qualifiers'>;
}

/** The script, plus what it cannot carry exactly (said in the results). */
export function artilleryScript(
  scenario: Scenario,
  point: SweepPoint,
  options: ScriptOptions,
): { script: ArtilleryScript; notes: string[] } {
  const sources = Object.values(scenario.sources);
  const first = sources[0];
  if (first === undefined) throw new InputError('ARTILLERY_SCRIPT', `${scenario.file}: no sources to run`);
  const notes: string[] = [];
  refuseSharedStreams(scenario);
  const shapes = sources.map((s) => openPhases(s));
  const base = shapes[0] as Phase[];
  // Artillery has one arrival process: sources share it by weight, so their phases must have the
  // same shape and rates in a fixed proportion to the first source's.
  const weights = sources.map((s, i) => proportion(base, shapes[i] as Phase[], s, first));
  const total = weights.reduce((a, b) => a + b, 0);
  const phases = base.map((p) => toArtilleryPhase(scale(p, total)));
  if (sources.length > 1) {
    notes.push(
      "Artillery picks a source per arrival at random by weight: per-source counts vary around the scenario's proportions",
    );
  }
  if (sources.some((s) => s.kind === 'kinesis' || s.kind === 'dynamodb' || s.kind === 'sqs')) {
    notes.push(
      "pull sources: each Artillery worker has its own in-memory queue or stream and event source mapping, so batching, ordering and the mapping's concurrency hold per worker (one worker thread on a machine with 2 CPUs); a virtual user lasts until its record's outcome; the stream section (iterator age, batch sizes) is not in Artillery reports",
    );
  }
  if (sources.some((s) => s.load.kind === 'open' && s.load.distribution === 'poisson')) {
    notes.push(
      "Artillery 2 spaces arrivals uniformly: the scenario's poisson distribution is not reproduced",
    );
  }
  return {
    script: {
      config: {
        target: `lambench://${scenario.target}`,
        phases,
        engines: {
          lambench: {
            scenario: options.scenarioFile,
            ...(options.set.length > 0 ? { set: [...options.set] } : {}),
            memory: { ...point.memoryMB },
            ...(options.logs === undefined ? {} : { logs: options.logs }),
            ...options.aws,
          },
        },
        ...(options.includeFiles === undefined ? {} : { includeFiles: [...options.includeFiles] }),
      },
      scenarios: sources.map((s, i) => ({
        name: s.name,
        engine: 'lambench',
        // Artillery's weights are integers.
        weight: Math.max(1, Math.round(((weights[i] ?? 0) / total) * 1000)),
        flow: [{ lambench: { source: s.name } }],
      })),
    },
    notes,
  };
}

/**
 * Every Artillery worker runs its own event source mappings. On the in-memory queue or stream each
 * worker's records stay its own; on a real Kinesis API every worker's mapping would read the one
 * shared stream, invoking each record once per worker — refused rather than measured wrong.
 */
export function refuseSharedStreams(scenario: Scenario): void {
  for (const source of Object.values(scenario.sources)) {
    if (source.kind === 'kinesis' && source.stream.endpoint !== undefined) {
      throw new InputError(
        'ARTILLERY_SOURCE',
        `sources.${source.name}.kinesis.endpoint: under Artillery every worker runs its own event source mapping, so a shared Kinesis stream would be read once per worker; drop the endpoint (or --kinesis-endpoint) to use the in-memory stream, or run this source with lambench itself`,
        { position: source.position },
      );
    }
  }
}

function openPhases(source: ScenarioSource): Phase[] {
  if (source.load.kind === 'closed') {
    throw new InputError(
      'ARTILLERY_LOAD',
      `sources.${source.name}.load: a closed model (concurrency) has no Artillery equivalent; use arrivalRate phases`,
      { position: source.position },
    );
  }
  return source.load.phases;
}

/** The factor by which `phases` is `base` scaled (1 for the first source); throws when it is not. */
function proportion(base: Phase[], phases: Phase[], source: ScenarioSource, first: ScenarioSource): number {
  const mismatch = () =>
    new InputError(
      'ARTILLERY_LOAD',
      `sources.${source.name}.load: under Artillery every source shares one arrival process, so its phases must match sources.${first.name}'s in kind and duration, with rates in one proportion`,
      { position: source.position },
    );
  if (phases.length !== base.length) throw mismatch();
  let factor: number | undefined;
  phases.forEach((p, i) => {
    const b = base[i] as Phase;
    if (p.kind !== b.kind || p.durationMs !== b.durationMs) throw mismatch();
    const pairs: Array<[number, number]> =
      p.kind === 'constant' && b.kind === 'constant'
        ? [[p.rate, b.rate]]
        : p.kind === 'ramp' && b.kind === 'ramp'
          ? [
              [p.from, b.from],
              [p.to, b.to],
            ]
          : p.kind === 'count' && b.kind === 'count'
            ? [[p.count, b.count]]
            : [];
    for (const [mine, theirs] of pairs) {
      if (theirs === 0 && mine === 0) continue;
      if (theirs === 0) throw mismatch();
      const f = mine / theirs;
      if (factor === undefined) factor = f;
      else if (!(Math.abs(f - factor) <= 1e-9 * Math.max(1, factor))) throw mismatch();
    }
  });
  return factor ?? 1;
}

function scale(p: Phase, factor: number): Phase {
  switch (p.kind) {
    case 'constant':
      return { ...p, rate: p.rate * factor };
    case 'ramp':
      return { ...p, from: p.from * factor, to: p.to * factor };
    case 'count':
      return { ...p, count: Math.round(p.count * factor) };
    case 'pause':
      return p;
  }
}

/** Whole seconds as numbers, anything finer as an `ms` string Artillery parses. */
function duration(ms: number): number | string {
  return ms % 1000 === 0 ? ms / 1000 : `${ms}ms`;
}

function toArtilleryPhase(p: Phase): ArtilleryPhase {
  switch (p.kind) {
    case 'constant':
      return { duration: duration(p.durationMs), arrivalRate: p.rate };
    case 'ramp':
      return { duration: duration(p.durationMs), arrivalRate: p.from, rampTo: p.to };
    case 'count':
      return { duration: duration(p.durationMs), arrivalCount: p.count };
    case 'pause':
      return { pause: duration(p.durationMs) };
  }
}
