/**
 * What lambench's Artillery engine runs inside each Artillery worker: the scenario's functions on
 * a target, one event factory and one delivery route per source, and a metrics sink that turns
 * every record into Artillery events. Artillery decides when a virtual user arrives; `deliver()`
 * generates that arrival's event and delivers it exactly as `lambench run` would.
 */
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { systemClock } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import { type ResponseEndpoint, startResponseEndpoint } from '../delivery/index.js';
import { createEmulator } from '../emulator/index.js';
import { createEventFactory, type EventFactory } from '../run/event-factory.js';
import { functionDefinition } from '../run/functions.js';
import { createRoute, type SourceRoute } from '../run/routes.js';
import { loadScenario, planRun } from '../scenario/index.js';
import type { Scenario } from '../scenario/types.js';
import { createLocalTarget } from '../targets/local.js';
import type { Target } from '../targets/types.js';
import { type ArtilleryEmitter, createArtillerySink } from './artillery-sink.js';

/** `config.engines.lambench` in an Artillery script. */
export interface EngineConfig {
  /** The lambench scenario file (relative paths from the working directory). */
  scenario: string;
  /** `--set` overrides applied to the scenario, in order. */
  set?: readonly string[];
  /** Memory per function (MB); default the first sweep point's. */
  memory?: Readonly<Record<string, number>>;
  /** File the functions' log lines are appended to; default: dropped. */
  logs?: string;
}

export interface EngineSession {
  readonly scenario: Scenario;
  /** Memory per function this session invokes with. */
  readonly memoryMB: Readonly<Record<string, number>>;
  /** Where metrics go from now on (Artillery hands the engine one emitter per scenario). */
  attach(emitter: ArtilleryEmitter): void;
  /** Generates the source's next event and delivers it; resolves when its outcome is decided. */
  deliver(source: string): Promise<void>;
  /** Stops the deliveries and the target (environments included). */
  close(): Promise<void>;
}

/** Reads `config.engines.lambench`, naming the field that is wrong. */
export function parseEngineConfig(raw: unknown): EngineConfig {
  const where = 'config.engines.lambench';
  if (raw === null || typeof raw !== 'object') {
    throw new InputError('ARTILLERY_CONFIG', `${where}: expected an object with a scenario file`);
  }
  const c = raw as Record<string, unknown>;
  if (typeof c.scenario !== 'string' || c.scenario === '') {
    throw new InputError(
      'ARTILLERY_CONFIG',
      `${where}.scenario: expected the path of a lambench scenario file`,
    );
  }
  const out: EngineConfig = { scenario: c.scenario };
  if (c.set !== undefined) {
    if (!Array.isArray(c.set) || !c.set.every((s) => typeof s === 'string')) {
      throw new InputError('ARTILLERY_CONFIG', `${where}.set: expected a list of "path=value" strings`);
    }
    out.set = c.set;
  }
  if (c.memory !== undefined) {
    const m = c.memory as Record<string, unknown>;
    if (m === null || typeof m !== 'object' || !Object.values(m).every((v) => Number.isInteger(v))) {
      throw new InputError('ARTILLERY_CONFIG', `${where}.memory: expected { <function>: <MB> }`);
    }
    out.memory = m as Record<string, number>;
  }
  if (c.logs !== undefined) {
    if (typeof c.logs !== 'string')
      throw new InputError('ARTILLERY_CONFIG', `${where}.logs: expected a file path`);
    out.logs = c.logs;
  }
  return out;
}

/** Loads the scenario, deploys its functions at the chosen memory and builds every source's route. */
export async function openEngineSession(config: EngineConfig, cwd = process.cwd()): Promise<EngineSession> {
  const scenario = await loadScenario(resolve(cwd, config.scenario), { cwd, set: config.set ?? [] });
  if (scenario.target === 'aws') {
    throw new InputError(
      'TARGET',
      `${scenario.file}: target: aws is not built yet; the Artillery engine runs target: local (the embedded emulator)`,
    );
  }
  const first = planRun(scenario).points[0];
  const memoryMB = memoryFor(scenario, first?.memoryMB ?? {}, config.memory);
  const clock = systemClock;
  const factories = new Map<string, EventFactory>();
  for (const source of Object.values(scenario.sources)) {
    factories.set(source.name, await createEventFactory(source, scenario.seed, clock.wallNow()));
  }
  const logs = config.logs === undefined ? undefined : resolve(cwd, config.logs);
  const emulator = await createEmulator({
    onLog: (fn, line) => {
      // Several Artillery workers may share the file: whole lines, appended.
      if (logs !== undefined) appendFileSync(logs, `${fn}\t${line}\n`);
    },
  });
  const target: Target = createLocalTarget({ api: emulator });
  let emitter: ArtilleryEmitter | undefined;
  let endpoint: Promise<ResponseEndpoint> | undefined;
  const routes = new Map<string, SourceRoute>();
  try {
    const qualifiers: Record<string, string> = {};
    const reserved: Record<string, number | undefined> = {};
    for (const fn of Object.values(scenario.functions)) {
      const definition = functionDefinition(fn);
      await target.ensureFunction(definition);
      const mb = memoryMB[fn.name];
      if (mb !== undefined) qualifiers[fn.name] = await target.prepare(definition, { memoryMB: mb });
      reserved[fn.name] = fn.reservedConcurrency;
    }
    const at = {
      target,
      sink: createArtillerySink(() => emitter),
      clock,
      qualifiers,
      memoryMB,
      reservedConcurrency: reserved,
      outputDir: logs === undefined ? cwd : resolve(logs, '..'),
      // Stream and queue sources run with the first sweep point's mapping settings.
      mapping: first?.mapping ?? {},
      cfnEndpoint: () => {
        endpoint ??= startResponseEndpoint(clock);
        return endpoint;
      },
    };
    for (const source of Object.values(scenario.sources))
      routes.set(source.name, await createRoute(source, at));
  } catch (error) {
    await target.close();
    throw error;
  }

  // Event indexes never repeat across the workers of one machine: each thread has its own range.
  const counters = new Map<string, number>();
  const base = threadId * 2 ** 32;
  return {
    scenario,
    memoryMB,
    attach(next) {
      emitter = next;
    },
    async deliver(sourceName) {
      const route = routes.get(sourceName);
      const factory = factories.get(sourceName);
      if (route === undefined || factory === undefined) {
        throw new InputError(
          'ARTILLERY_SOURCE',
          `lambench step: no source "${sourceName}" in ${scenario.file}; expected one of ${[...routes.keys()].join(', ')}`,
        );
      }
      const n = counters.get(sourceName) ?? 0;
      counters.set(sourceName, n + 1);
      const intendedMs = clock.now();
      const payload = await factory(base + n);
      await route.deliver(base + n, intendedMs, payload);
    },
    async close() {
      for (const r of routes.values()) r.stop();
      await Promise.all([...routes.values()].map((r) => r.flush()));
      if (endpoint) await (await endpoint).close();
      await target.close();
    },
  };
}

function memoryFor(
  scenario: Scenario,
  first: Readonly<Record<string, number>>,
  chosen: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const out: Record<string, number> = { ...first };
  for (const [fn, mb] of Object.entries(chosen ?? {})) {
    if (scenario.functions[fn] === undefined) {
      throw new InputError(
        'ARTILLERY_CONFIG',
        `config.engines.lambench.memory.${fn}: no function "${fn}" in ${scenario.file}`,
      );
    }
    out[fn] = mb;
  }
  return out;
}
