/**
 * What lambench's Artillery engine runs inside each Artillery worker: the scenario's functions on
 * a target, one event factory and one delivery route per source, and a metrics sink that turns
 * every record into Artillery events. Artillery decides when a virtual user arrives; `deliver()`
 * generates that arrival's event and delivers it exactly as `lambench run` would.
 */
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
import { controlClient } from '../targets/aws/clients.js';
import { getConfiguration } from '../targets/aws/lambda-ops.js';
import { remoteFunction } from '../targets/aws/prepare.js';
import { createAwsTarget } from '../targets/aws/target.js';
import { type AwsRunOptions, awsConnection } from '../targets/create.js';
import { createLocalTarget } from '../targets/local.js';
import type { FunctionDefinition, Target } from '../targets/types.js';
import { type ArtilleryEmitter, createArtillerySink } from './artillery-sink.js';
import { createOutcomeWaiter } from './outcome-waiter.js';
import { refuseSharedStreams } from './script.js';

/** `config.engines.lambench` in an Artillery script. */
export interface EngineConfig {
  /** The lambench scenario file; a relative path is from the Artillery script's folder. */
  scenario: string;
  /** `--set` overrides applied to the scenario, in order. */
  set?: readonly string[];
  /** Memory per function (MB); default the first sweep point's. */
  memory?: Readonly<Record<string, number>>;
  /** File the functions' log lines are appended to (relative: from the script's folder); default: dropped. */
  logs?: string;
  /** Where the functions run; default the scenario's `target`. */
  target?: 'local' | 'aws';
  /** `target: aws`: connection settings over the scenario's `aws:` block (credentials never). */
  aws?: AwsRunOptions;
  /**
   * `target: aws`: the qualifier to invoke per function, prepared once by `lambench run` (which
   * restores the account afterwards). Without it, each function is invoked as deployed.
   */
  qualifiers?: Readonly<Record<string, string>>;
}

export interface SessionOptions {
  /** Folder relative paths in the config are resolved against: the Artillery script's. */
  baseDir?: string;
  /** The working directory (the scenario's default output folder); default process.cwd(). */
  cwd?: string;
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
  if (c.target !== undefined) {
    if (c.target !== 'local' && c.target !== 'aws')
      throw new InputError('ARTILLERY_CONFIG', `${where}.target: expected local or aws`);
    out.target = c.target;
  }
  if (c.aws !== undefined) out.aws = parseAws(c.aws, `${where}.aws`);
  if (c.qualifiers !== undefined) {
    const q = c.qualifiers as Record<string, unknown>;
    if (q === null || typeof q !== 'object' || !Object.values(q).every((v) => typeof v === 'string')) {
      throw new InputError(
        'ARTILLERY_CONFIG',
        `${where}.qualifiers: expected { <function>: <alias or version> }`,
      );
    }
    out.qualifiers = q as Record<string, string>;
  }
  return out;
}

function parseAws(raw: unknown, where: string): AwsRunOptions {
  if (raw === null || typeof raw !== 'object') {
    throw new InputError('ARTILLERY_CONFIG', `${where}: expected { region, endpoint, profile, invokePath }`);
  }
  const a = raw as Record<string, unknown>;
  const out: AwsRunOptions = {};
  for (const key of ['region', 'endpoint', 'profile'] as const) {
    const v = a[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new InputError('ARTILLERY_CONFIG', `${where}.${key}: expected a string`);
    out[key] = v;
  }
  if (a.invokePath !== undefined) {
    if (a.invokePath !== 'http' && a.invokePath !== 'sdk')
      throw new InputError('ARTILLERY_CONFIG', `${where}.invokePath: expected http or sdk`);
    out.invokePath = a.invokePath;
  }
  return out;
}

/** Loads the scenario, deploys its functions at the chosen memory and builds every source's route. */
export async function openEngineSession(
  config: EngineConfig,
  options: SessionOptions = {},
): Promise<EngineSession> {
  const cwd = options.cwd ?? process.cwd();
  const baseDir = options.baseDir ?? cwd;
  const scenario = await loadScenario(resolve(baseDir, config.scenario), { cwd, set: config.set ?? [] });
  if (config.target !== undefined) scenario.target = config.target;
  const first = planRun(scenario).points[0];
  const clock = systemClock;
  const factories = new Map<string, EventFactory>();
  for (const source of Object.values(scenario.sources)) {
    factories.set(source.name, await createEventFactory(source, scenario.seed, clock.wallNow()));
  }
  const logs = config.logs === undefined ? undefined : resolve(baseDir, config.logs);
  const outputDir = logs === undefined ? cwd : resolve(logs, '..');
  const onLog = (fn: string, line: string) => {
    // Several Artillery workers may share the file: whole lines, appended.
    if (logs !== undefined) appendFileSync(logs, `${fn}\t${line}\n`);
  };
  const deployed =
    scenario.target === 'aws'
      ? await awsFunctions(scenario, config, outputDir)
      : await localFunctions(scenario, memoryFor(scenario, first?.memoryMB ?? {}, config.memory), onLog);
  const { target, qualifiers, memoryMB } = deployed;
  let emitter: ArtilleryEmitter | undefined;
  // A virtual user lasts until its event's outcome is decided, also for pull sources, whose
  // mapping decides it after deliver() has put the record.
  const waiter = createOutcomeWaiter(createArtillerySink(() => emitter));
  let endpoint: Promise<ResponseEndpoint> | undefined;
  const routes = new Map<string, SourceRoute>();
  try {
    refuseSharedStreams(scenario);
    const reserved: Record<string, number | undefined> = {};
    for (const fn of Object.values(scenario.functions)) reserved[fn.name] = fn.reservedConcurrency;
    const at = {
      target,
      sink: waiter.sink,
      clock,
      qualifiers,
      memoryMB,
      reservedConcurrency: reserved,
      outputDir,
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
      const tracked = waiter.track(sourceName, base + n, scenario.run.graceMs);
      try {
        await route.deliver(base + n, intendedMs, payload);
      } finally {
        tracked.delivered();
      }
      await tracked.done;
    },
    async close() {
      for (const r of routes.values()) r.stop();
      await Promise.all([...routes.values()].map((r) => r.flush()));
      if (endpoint) await (await endpoint).close();
      await target.close();
    },
  };
}

interface Deployed {
  target: Target;
  qualifiers: Record<string, string>;
  memoryMB: Record<string, number>;
}

/** `target: local`: the embedded emulator, each function deployed at the chosen memory. */
async function localFunctions(
  scenario: Scenario,
  memoryMB: Record<string, number>,
  onLog: (fn: string, line: string) => void,
): Promise<Deployed> {
  const target = createLocalTarget({ api: await createEmulator({ onLog }) });
  const qualifiers: Record<string, string> = {};
  try {
    for (const fn of Object.values(scenario.functions)) {
      const definition = functionDefinition(fn);
      await target.ensureFunction(definition);
      const mb = memoryMB[fn.name];
      if (mb !== undefined) qualifiers[fn.name] = await target.prepare(definition, { memoryMB: mb });
    }
  } catch (error) {
    await target.close();
    throw error;
  }
  return { target, qualifiers, memoryMB };
}

/**
 * `target: aws`: every worker only reads and invokes — many workers changing and restoring the same
 * functions would race — so the functions run as `lambench run` prepared them (`qualifiers`), or
 * as deployed, with the memory read from the function itself so metric names never lie.
 */
async function awsFunctions(scenario: Scenario, config: EngineConfig, outputDir: string): Promise<Deployed> {
  const connection = awsConnection(scenario, config.aws ?? {});
  // Never written (nothing here changes the account); its own name so it can never clobber the
  // journal of the lambench run that started Artillery.
  const aws = await createAwsTarget({
    ...connection,
    journalPath: join(outputDir, 'artillery-worker-journal.json'),
  });
  const refuse = (what: string) => () =>
    Promise.reject(
      new InputError(
        'ARTILLERY_AWS',
        `${scenario.file}: under the Artillery engine, target: aws never changes functions (${what}); lambench run --engine artillery prepares them once`,
      ),
    );
  const target: Target = {
    info: aws.info,
    ensureFunction: (fn) => aws.ensureFunction(fn),
    prepare: refuse('memory settings are published by lambench run'),
    forceColdStart: refuse('no fresh version for a forced cold start'),
    invoke: (req) => aws.invoke(req),
    close: () => aws.close(),
  };
  const lambda = controlClient(connection);
  const qualifiers: Record<string, string> = {};
  const memoryMB: Record<string, number> = {};
  try {
    for (const fn of Object.values(scenario.functions)) {
      const definition: FunctionDefinition = functionDefinition(fn);
      await target.ensureFunction(definition);
      const remote = remoteFunction(definition);
      const qualifier = config.qualifiers?.[fn.name] ?? remote.qualifier ?? '$LATEST';
      const deployed = await getConfiguration(lambda, remote.name, qualifier);
      const wanted = config.memory?.[fn.name];
      if (wanted !== undefined && deployed.MemorySize !== wanted) {
        throw new InputError(
          'ARTILLERY_AWS',
          `config.engines.lambench.memory.${fn.name}: ${remote.name}:${qualifier} runs at ${deployed.MemorySize} MB, not ${wanted} MB; the engine invokes functions as they are (lambench run --engine artillery publishes the setting first)`,
        );
      }
      qualifiers[fn.name] = qualifier;
      memoryMB[fn.name] = deployed.MemorySize ?? wanted ?? 0;
    }
  } catch (error) {
    await target.close();
    throw error;
  } finally {
    lambda.destroy();
  }
  return { target, qualifiers, memoryMB };
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
