/**
 * One sweep point: prepares a qualifier per function for the point's settings, starts every
 * source's arrivals side by side, lets in-flight work finish for the grace period after the last
 * arrival (or after an abort), then closes the point's recorder into its results.
 */
import type { Clock } from '../core/clock.js';
import { LambenchError } from '../core/errors.js';
import {
  type AsyncQueue,
  createAsyncQueue,
  type ResponseEndpoint,
  startResponseEndpoint,
} from '../delivery/index.js';
import {
  arrivalOffsets,
  type ClosedModelStats,
  type OpenModelStats,
  type RunningModel,
  runClosedModel,
  runOpenModel,
  totalDurationMs,
} from '../load/index.js';
import { slicePhases } from '../load/slice-load.js';
import { createRecorder, LedgerImbalanceError, type PointResults, type Recorder } from '../metrics/index.js';
import type { SchedulerResults } from '../metrics/results-schema.js';
import { pointLabel, pointParameters, type SweepPoint } from '../scenario/plan.js';
import type { Load, Scenario, ScenarioSource } from '../scenario/types.js';
import type { Target } from '../targets/types.js';
import type { EventFactory } from './event-factory.js';
import { functionDefinition } from './functions.js';
import { createRoute, type SourceRoute } from './routes.js';

export interface PointOptions {
  scenario: Scenario;
  point: SweepPoint;
  /** The point in words for results and progress (default: its memory settings). */
  label?: string;
  target: Target;
  clock: Clock;
  outputDir: string;
  factories: ReadonlyMap<string, EventFactory>;
  /** Called when the point's clock starts, after its functions are prepared. */
  onStart?(): void;
  /** Called with the point's recorder as soon as it exists (for the live progress display). */
  onRecorder(recorder: Recorder): void;
  /**
   * Qualifiers already prepared in this run, by function and memory: a setting's later slices and
   * repeats reuse its alias (and its warm environments) instead of publishing a new version.
   */
  prepared?: Map<string, string>;
  /** Set by the caller: 'graceful' stops arrivals and waits the grace period; 'now' waits no more. */
  stopSignal: StopSignal;
}

/** How the run is asked to stop early; listeners fire once per level. */
export class StopSignal {
  level: 'none' | 'graceful' | 'now' = 'none';
  reason: string | undefined;
  readonly #listeners = new Set<() => void>();
  raise(level: 'graceful' | 'now', reason: string): void {
    if (this.level === 'now' || this.level === level) return;
    this.level = level;
    this.reason ??= reason;
    for (const fn of [...this.#listeners]) fn();
  }
  on(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
}

export interface PointOutcome {
  results: PointResults;
  /** Wall-clock epoch ms of the point's second 0. */
  startEpochMs: number;
  /** Wall-clock epoch ms when its calls had settled (or were given up on): the measured span ends. */
  endEpochMs: number;
  /** Arrivals fired more than LATE_TOLERANCE_MS late, by the point second they fired in. */
  lateBySecond: Map<number, number>;
  /** Set when the ledger did not add up (results are still complete and must be written). */
  imbalance?: LedgerImbalanceError;
}

export async function runPoint(options: PointOptions): Promise<PointOutcome> {
  const { scenario: resolved, point, target, clock, stopSignal } = options;
  const scenario = forPoint(resolved, point);
  const qualifiers: Record<string, string> = {};
  const reserved: Record<string, number | undefined> = {};
  let failure: string | undefined;
  try {
    for (const [name, memoryMB] of Object.entries(point.memoryMB)) {
      const fn = scenario.functions[name];
      if (fn === undefined) continue;
      const key = `${name}\u0000${memoryMB}`;
      const known = options.prepared?.get(key);
      qualifiers[name] = known ?? (await target.prepare(functionDefinition(fn), { memoryMB }));
      options.prepared?.set(key, qualifiers[name] as string);
      reserved[name] = fn.reservedConcurrency;
    }
  } catch (error) {
    // A setting the target refuses (a memory size over the account's limit, say) fails this point
    // alone: the sweep goes on with the next one.
    failure = `prepare failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  options.onStart?.();
  const recorder = createRecorder({
    clock,
    label: options.label ?? pointLabel(point),
    parameters: pointParameters(point),
  });
  const startMs = clock.now();
  const startEpochMs = clock.wallNow();
  const lateBySecond = new Map<number, number>();
  const onLate = (intendedMs: number, lagMs: number): void => {
    const second = Math.max(0, Math.floor((intendedMs + lagMs - startMs) / 1000));
    lateBySecond.set(second, (lateBySecond.get(second) ?? 0) + 1);
  };
  options.onRecorder(recorder);
  if (failure !== undefined) {
    return {
      results: { ...recorder.finish({}), failure },
      startEpochMs,
      endEpochMs: startEpochMs,
      lateBySecond,
    };
  }

  let endpoint: Promise<ResponseEndpoint> | undefined;
  // One async queue per function, shared by its async sources: the reserved-concurrency bound and
  // one source's throttles and retries hold for all of them, as on Lambda.
  const queues = new Map<string, AsyncQueue>();
  const asyncQueue = (fn: string): AsyncQueue => {
    let queue = queues.get(fn);
    if (queue === undefined) {
      const rc = reserved[fn];
      const key = {
        source: `${fn} async queue`,
        functionName: fn,
        qualifier: qualifiers[fn] ?? '$LATEST',
        memoryMB: point.memoryMB[fn] ?? 0,
      };
      queue = createAsyncQueue(
        { target, sink: recorder, clock, key },
        { config: rc === undefined ? {} : { reservedConcurrency: rc } },
      );
      queues.set(fn, queue);
    }
    return queue;
  };
  const at = {
    target,
    sink: recorder,
    clock,
    qualifiers,
    memoryMB: point.memoryMB,
    mapping: point.mapping,
    reservedConcurrency: reserved,
    outputDir: options.outputDir,
    cfnEndpoint: () => {
      endpoint ??= startResponseEndpoint(clock);
      return endpoint;
    },
    asyncQueue,
  };
  const sources = Object.values(scenario.sources);
  const routes = new Map<string, SourceRoute>();
  for (const source of sources) routes.set(source.name, await createRoute(source, at));

  const coldStarts = point.schedule?.coldStarts;
  const models = sources.map((source) =>
    coldStarts !== undefined
      ? forceColdStarts(coldStarts, {
          scenario,
          qualifiers,
          target,
          route: routes.get(source.name) as SourceRoute,
          factory: options.factories.get(source.name) as EventFactory,
          clock,
        })
      : startSource(
          source,
          routes.get(source.name) as SourceRoute,
          options.factories.get(source.name) as EventFactory,
          {
            clock,
            seed: scenario.seed,
            onEventError: (index, intendedMs, error) =>
              failGeneration(recorder, routes.get(source.name), index, intendedMs, error, clock),
            onLate: (intendedMs, lagMs) => {
              onLate(intendedMs, lagMs);
              for (const key of routes.get(source.name)?.keys ?? []) recorder.late?.(key, intendedMs + lagMs);
            },
          },
        ),
  );
  const allDone = Promise.all(models.map((m) => m.done));
  // Forced cold starts have no schedule: they end when their last call does.
  const arrivalsEndMs =
    clock.now() +
    (coldStarts !== undefined ? COLD_STARTS_BOUND_MS : Math.max(0, ...sources.map(sourceDurationMs)));

  await waitUntil(clock, stopSignal, arrivalsEndMs, allDone, ['graceful', 'now']);
  for (const m of models) m.stop();
  if (stopSignal.level !== 'now') {
    // Grace also lets stream and queue mappings drain what was put before arrivals ended, and
    // covers calls whose arrival is already decided but which still run: an API Gateway request
    // answered 504 at the integration timeout keeps its function running on Lambda, and that
    // invocation belongs in the results.
    const drained = allDone.then(() => Promise.all([...routes.values()].map((r) => r.settled())));
    await waitUntil(clock, stopSignal, clock.now() + scenario.run.graceMs, drained, ['now']);
  }
  for (const r of routes.values()) r.stop();
  // The grace period is over (or a second Ctrl-C said not to wait): calls still running are not
  // waited for. Their arrivals are recorded as in flight, and the caller's closing of the target
  // ends them; what they report afterwards cannot change the closed point.
  const settled = Promise.all([allDone, ...[...routes.values()].map((r) => r.settled())]);
  const finished = await within(clock, settled, SETTLE_MS);
  // What follows (flushing, closing the point's recorder) measures nothing: a stall in it is not
  // the harness delaying any call.
  const endEpochMs = clock.wallNow();
  await Promise.all([...routes.values()].map((r) => r.flush()));
  if (endpoint) await (await endpoint).close();

  try {
    const scheduler = sumStats(finished ? finished[0] : models.map((m) => m.stats()));
    return { results: recorder.finish({ scheduler }), startEpochMs, endEpochMs, lateBySecond };
  } catch (error) {
    if (error instanceof LedgerImbalanceError)
      return { results: error.point, imbalance: error, startEpochMs, endEpochMs, lateBySecond };
    throw error;
  }
}

/** Forced cold starts end with their last call; this only bounds the wait (a day). */
const COLD_STARTS_BOUND_MS = 86_400_000;

/** After stop(), how long deliveries get to record outcomes that are already decided. */
const SETTLE_MS = 50;

/** The promise's value, or undefined if it has not settled within `ms`. */
function within<T>(clock: Clock, promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const cancel = clock.setTimer(ms, () => resolve(undefined));
    promise.then(
      (value) => {
        cancel();
        resolve(value);
      },
      () => {
        cancel();
        resolve(undefined);
      },
    );
  });
}

interface SourceStartOptions {
  clock: Clock;
  seed: number;
  onEventError(index: number, intendedMs: number, error: unknown): void;
  onLate(intendedMs: number, lagMs: number): void;
}

function startSource(
  source: ScenarioSource,
  route: SourceRoute,
  factory: EventFactory,
  options: SourceStartOptions,
): RunningModel<OpenModelStats | ClosedModelStats> {
  const onArrival = async (index: number, intendedMs: number): Promise<void> => {
    let payload: string;
    try {
      payload = await factory(index);
    } catch (error) {
      options.onEventError(index, intendedMs, error);
      return;
    }
    await route.deliver(index, intendedMs, payload);
  };
  const load = source.load;
  if (load.kind === 'closed') {
    return runClosedModel({
      concurrency: load.concurrency,
      durationMs: load.durationMs,
      thinkTimeMs: load.thinkTimeMs,
      clock: options.clock,
      onArrival,
    });
  }
  return runOpenModel({
    offsets: arrivalOffsets(load.phases, { distribution: load.distribution, seed: options.seed }),
    clock: options.clock,
    maxInFlight: source.maxInFlight,
    onArrival,
    onDropped: (index, intendedMs) => route.drop(index, intendedMs),
    onLate: options.onLate,
  });
}

/** An event that could not be built still counts: an arrival that failed, with the reason. */
function failGeneration(
  recorder: Recorder,
  route: SourceRoute | undefined,
  index: number,
  intendedMs: number,
  error: unknown,
  clock: Clock,
): void {
  const reason = `event generation failed: ${error instanceof Error ? error.message : String(error)}`;
  for (const key of route?.keys ?? []) {
    recorder.arrival(key, index, intendedMs);
    recorder.outcome({
      key,
      eventId: index,
      bucket: 'failed',
      reason,
      attempts: 0,
      intendedStartMs: intendedMs,
      endMs: clock.now(),
    });
  }
}

function sourceDurationMs(source: ScenarioSource): number {
  return source.load.kind === 'closed' ? source.load.durationMs : totalDurationMs(source.load.phases);
}

/** Resolves at `untilMs`, when `done` settles, or when the stop signal reaches one of `levels`. */
function waitUntil(
  clock: Clock,
  signal: StopSignal,
  untilMs: number,
  done: Promise<unknown>,
  levels: ReadonlyArray<StopSignal['level']>,
): Promise<void> {
  if (levels.includes(signal.level)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const finish = () => {
      cancel();
      off();
      resolve();
    };
    const cancel = clock.setTimer(untilMs - clock.now(), finish);
    const off = signal.on(() => {
      if (levels.includes(signal.level)) finish();
    });
    done.then(finish, finish);
  });
}

function sumStats(all: ReadonlyArray<OpenModelStats | ClosedModelStats>): SchedulerResults {
  const out: SchedulerResults = {
    scheduled: 0,
    started: 0,
    dropped: 0,
    maxLagMs: 0,
    meanLagMs: 0,
    lateOver10Ms: 0,
    callbackErrors: 0,
  };
  let lagWeighted = 0;
  for (const s of all) {
    out.started += s.started;
    out.callbackErrors += s.callbackErrors;
    if ('scheduled' in s) {
      out.scheduled += s.scheduled;
      out.dropped += s.dropped;
      out.maxLagMs = Math.max(out.maxLagMs, s.maxLagMs);
      out.lateOver10Ms += s.lateOver10Ms;
      lagWeighted += s.meanLagMs * s.scheduled;
    } else {
      out.scheduled += s.started;
    }
  }
  out.meanLagMs = out.scheduled > 0 ? lagWeighted / out.scheduled : 0;
  return out;
}

/** The scenario as this point runs it: each source's load cut to the point's slice. */
function forPoint(scenario: Scenario, point: SweepPoint): Scenario {
  const slice = point.schedule?.slice;
  if (slice === undefined) return scenario;
  const sources: Record<string, ScenarioSource> = {};
  for (const [name, source] of Object.entries(scenario.sources)) {
    sources[name] = { ...source, load: sliceLoad(source.load, slice.index, slice.of) };
  }
  return { ...scenario, sources };
}

function sliceLoad(load: Load, index: number, of: number): Load {
  if (load.kind === 'closed') return { ...load, durationMs: load.durationMs / of };
  const phases = slicePhases(load.phases, index, of);
  return { ...load, phases, phaseNames: phases.map(() => undefined) };
}

/**
 * `count` calls of the source, one at a time, each after the target was told to start a new
 * environment for every function of the point: cold starts measured at will rather than waited for.
 */
interface ColdStartContext {
  scenario: Scenario;
  /** The point's qualifier per function (routes invoke these). */
  qualifiers: Record<string, string>;
  target: Target;
  route: SourceRoute;
  factory: EventFactory;
  clock: Clock;
}

function forceColdStarts(count: number, at: ColdStartContext): RunningModel<OpenModelStats> {
  const { scenario, qualifiers, target, route, factory, clock } = at;
  let stopped = false;
  const stats: OpenModelStats = {
    scheduled: 0,
    started: 0,
    dropped: 0,
    callbackErrors: 0,
    maxLagMs: 0,
    meanLagMs: 0,
    lateOver10Ms: 0,
    stopped: false,
  };
  const done = (async () => {
    try {
      for (let i = 0; i < count && !stopped; i++) {
        for (const [name, qualifier] of Object.entries(qualifiers)) {
          const fn = scenario.functions[name];
          if (fn === undefined) continue;
          const fresh = await target.forceColdStart(functionDefinition(fn), qualifier);
          if (fresh !== qualifier) {
            // Routes and series are keyed by the point's qualifier; a target must move it, not replace it.
            throw new LambenchError(
              'COLD_START_QUALIFIER',
              `forceColdStart returned ${fresh} for ${name}:${qualifier}; expected the same qualifier`,
            );
          }
        }
        stats.scheduled++;
        stats.started++;
        await route.deliver(i, clock.now(), await factory(i));
      }
    } catch (error) {
      stats.callbackErrors++;
      stats.firstCallbackError = error instanceof Error ? error.message : String(error);
    }
    stats.stopped = stopped;
    return stats;
  })();
  return {
    done,
    stop: () => {
      stopped = true;
    },
    stats: () => stats,
  };
}
