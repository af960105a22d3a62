/**
 * The local Lambda: the in-process LambdaApi over the registry (functions, versions, aliases),
 * concurrency accounting and one pool of execution environments per function version.
 */

import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InputError } from '../core/errors.js';
import { Concurrency, type ConcurrencySlot } from './concurrency.js';
import { InitGate, SATURATED_GRACE_MS } from './init-gate.js';
import { CpuLimits } from './limits/cpu-limits.js';
import { TailBuffer } from './logs.js';
import { Pool } from './pool.js';
import { type FunctionRecord, LATEST, Registry, type Resolved } from './registry.js';
import type { RuntimeEvent } from './runtime-api.js';
import { runtimeInfo, runtimeNote } from './runtimes.js';
import { invalidParameter, requestTooLarge, resourceConflict } from './service-errors.js';
import { sharedSpawner } from './spawner/client.js';
import type {
  AccountSettings,
  AliasConfiguration,
  CpuLimiter,
  CreateFunctionInput,
  EmulatorOptions,
  FunctionConfiguration,
  InvokeInput,
  InvokeOutput,
  LambdaApi,
  LocalDeviations,
  UpdateFunctionConfigurationInput,
} from './types.js';
import { validateFunctionInput } from './validate.js';

/** Invoke payload limits: 6 MiB + 100 bytes synchronous (as RIE), 1 MiB asynchronous (Event). */
export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024 + 100;
export const MAX_ASYNC_PAYLOAD = 1024 * 1024;

const DEFAULTS = { idleTimeoutMs: 10 * 60_000, freezeAfterMs: 100 } as const;
/** Period of the sweeper that samples memory of busy environments and freezes/reaps idle ones (ms). */
const SWEEP_MS = 25;
/** On-demand environments alive at once; each is a process of tens of MB. */
const DEFAULT_MAX_ENVIRONMENTS = 64;

/** Per-function runtime state: concurrency counts and the pools of its versions. */
interface FunctionState extends ConcurrencySlot {
  pools: Map<string, Pool>;
}

const EMPTY = new Uint8Array(0);

export class Emulator implements LambdaApi {
  readonly cpuLimiter: CpuLimiter;
  readonly #opts: EmulatorOptions;
  readonly #region: string;
  readonly #registry: Registry;
  readonly #concurrency: Concurrency;
  readonly #cpu: CpuLimits;
  readonly #initGate: InitGate;
  readonly #states = new Map<FunctionRecord, FunctionState>();
  readonly #retired = new Set<Pool>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #background = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: EmulatorOptions = {}) {
    this.#opts = options;
    this.#region = options.region ?? 'us-east-1';
    this.#registry = new Registry(this.#region, options.accountId ?? '123456789012');
    this.#concurrency = new Concurrency(options.accountConcurrency ?? 1000);
    this.#cpu = CpuLimits.create(options.cpuLimiter);
    this.cpuLimiter = this.#cpu.mechanism;
    const cgroupRoot = this.#cpu.cgroupRoot;
    // Should this process die without closing, the spawner removes the cgroup folder too.
    if (cgroupRoot !== undefined) sharedSpawner().setCgroupRoot(cgroupRoot);
    this.#initGate = new InitGate(
      options.maxConcurrentInits ?? Math.max(2, availableParallelism()),
      options.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS,
      () => this.#reclaimIdle(),
      options.saturatedGraceMs ?? graceFromEnvironment(),
    );
    let lastSweep = performance.now();
    this.#sweeper = setInterval(() => {
      const now = performance.now();
      this.#initGate.noteTimerLag(now - lastSweep - SWEEP_MS, now);
      lastSweep = now;
      this.#sweep();
    }, SWEEP_MS);
    this.#sweeper.unref();
    process.once('exit', this.#killAll);
  }

  // ---- functions ----

  async createFunction(input: CreateFunctionInput): Promise<FunctionConfiguration> {
    validateFunctionInput(input);
    const config: FunctionConfiguration = {
      functionName: input.functionName,
      functionArn: this.#registry.arnOf(input.functionName),
      codeDir: resolve(input.codeDir),
      handler: input.handler,
      runtime: input.runtime,
      memorySize: input.memorySize ?? 128,
      timeout: input.timeout ?? 3,
      environment: { ...input.environment },
      version: LATEST,
      lastModified: new Date().toISOString(),
    };
    if (input.description !== undefined) config.description = input.description;
    const rec = this.#registry.add(config);
    const state: FunctionState = { inFlight: 0, pools: new Map() };
    this.#states.set(rec, state);
    if (input.reservedConcurrency !== undefined) {
      try {
        this.#concurrency.reserve(state, input.reservedConcurrency);
      } catch (err) {
        this.#registry.remove(rec.name);
        this.#states.delete(rec);
        throw err;
      }
    }
    return config;
  }

  getFunctionConfiguration(functionName: string, qualifier?: string): FunctionConfiguration {
    return this.#registry.configuration(functionName, qualifier);
  }

  async updateFunctionConfiguration(
    functionName: string,
    input: UpdateFunctionConfigurationInput,
  ): Promise<FunctionConfiguration> {
    const rec = this.#registry.get(functionName);
    const old = rec.latest;
    const next: FunctionConfiguration = {
      ...old,
      ...input,
      environment: { ...(input.environment ?? old.environment) },
      lastModified: new Date().toISOString(),
    };
    validateFunctionInput({ ...next, memorySize: next.memorySize, timeout: next.timeout });
    this.#registry.replaceLatest(rec, next);
    this.#retirePool(rec, LATEST);
    return next;
  }

  async deleteFunction(functionName: string): Promise<void> {
    const rec = this.#registry.remove(functionName);
    const state = this.#state(rec);
    this.#concurrency.reserve(state, undefined);
    for (const version of [...state.pools.keys()]) this.#retirePool(rec, version);
    this.#states.delete(rec);
  }

  async deleteVersion(functionName: string, version: string): Promise<void> {
    if (version === LATEST || !/^\d+$/.test(version)) {
      throw invalidParameter(`Only a published version can be deleted on its own; got '${version}'.`);
    }
    const rec = this.#registry.get(functionName);
    this.#registry.deleteVersion(functionName, version);
    this.#retirePool(rec, version);
  }

  getAccountSettings(): AccountSettings {
    return {
      concurrentExecutions: this.#concurrency.accountLimit,
      unreservedConcurrentExecutions: this.#concurrency.unreserved,
    };
  }

  listFunctions(): FunctionConfiguration[] {
    return this.#registry.list().map((r) => r.latest);
  }

  publishVersion(functionName: string, description?: string): FunctionConfiguration {
    return this.#registry.publish(functionName, description);
  }

  listVersionsByFunction(functionName: string): FunctionConfiguration[] {
    return this.#registry.versions(functionName);
  }

  // ---- aliases ----

  createAlias(functionName: string, alias: Omit<AliasConfiguration, 'aliasArn'>): AliasConfiguration {
    return this.#registry.setAlias(functionName, alias, true);
  }

  getAlias(functionName: string, name: string): AliasConfiguration {
    return this.#registry.getAlias(functionName, name);
  }

  updateAlias(
    functionName: string,
    name: string,
    update: Partial<Omit<AliasConfiguration, 'name' | 'aliasArn'>>,
  ): AliasConfiguration {
    const { aliasArn: _arn, ...current } = this.#registry.getAlias(functionName, name);
    return this.#registry.setAlias(functionName, { ...current, ...update, name }, false);
  }

  deleteAlias(functionName: string, name: string): void {
    this.#registry.deleteAlias(functionName, name);
  }

  listAliases(functionName: string): AliasConfiguration[] {
    return this.#registry.aliases(functionName);
  }

  // ---- concurrency ----

  putFunctionConcurrency(functionName: string, reservedConcurrentExecutions: number): void {
    this.#concurrency.reserve(this.#state(this.#registry.get(functionName)), reservedConcurrentExecutions);
  }

  deleteFunctionConcurrency(functionName: string): void {
    this.#concurrency.reserve(this.#state(this.#registry.get(functionName)), undefined);
  }

  getFunctionConcurrency(functionName: string): number | undefined {
    return this.#state(this.#registry.get(functionName)).reserved;
  }

  /** Provisioned concurrency applies to a published version or an alias (its primary version). */
  async putProvisionedConcurrency(functionName: string, qualifier: string, count: number): Promise<void> {
    if (qualifier === LATEST) {
      throw invalidParameter(
        'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
      );
    }
    if (!(Number.isInteger(count) && count >= 0)) {
      throw invalidParameter(`ProvisionedConcurrentExecutions ${count} must be an integer ≥ 0`);
    }
    const config = this.#registry.configuration(functionName, qualifier);
    const rec = this.#registry.get(functionName);
    try {
      await this.#pool(rec, config).provision(count);
    } catch (err) {
      const type = err instanceof Error ? err.message : String(err);
      throw resourceConflict(
        `Provisioned concurrency for ${config.functionArn} failed to initialise: ${type}`,
      );
    }
  }

  // ---- invoke ----

  async invoke(input: InvokeInput): Promise<InvokeOutput> {
    if (this.#closed) throw resourceConflict('The emulator is closed');
    const type = input.invocationType ?? 'RequestResponse';
    const payload = toBuffer(input.payload);
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (payload.length > limit) throw requestTooLarge(payload.length, limit);
    const target = this.#registry.resolve(input.functionName, input.qualifier);
    if (type === 'DryRun') return this.#accepted(204, target);
    if (type === 'Event') {
      // The 202 names the request id the queued invocation will run under, as Lambda's does.
      const requestId = randomUUID();
      const queued = { ...input, logType: 'None' as const, clientContext: undefined };
      const run = this.#run(target, payload, queued, requestId).then(
        (out) => this.#log(target, `Event invoke finished: ${out.errorType ?? 'ok'}`),
        (err: unknown) =>
          this.#log(target, `Event invoke not run: ${err instanceof Error ? err.message : String(err)}`),
      );
      this.#background.add(run);
      void run.finally(() => this.#background.delete(run));
      return { ...this.#accepted(202, target), requestId };
    }
    if (type !== 'RequestResponse') throw invalidParameter(`Unsupported InvocationType ${String(type)}`);
    return this.#run(target, payload, input);
  }

  async #run(
    target: Resolved,
    payload: Buffer,
    input: Omit<InvokeInput, 'clientContext'> & { clientContext?: string | undefined },
    requestId?: string,
  ): Promise<InvokeOutput> {
    const state = this.#state(target.fn);
    this.#concurrency.acquire(state);
    try {
      const pool = this.#pool(target.fn, target.config);
      const tail = input.logType === 'Tail' ? new TailBuffer() : undefined;
      const result = await pool.run(this.#event(target, payload, input, requestId), tail);
      const out: InvokeOutput = {
        statusCode: 200,
        payload: result.payload,
        executedVersion: target.config.version,
        report: result.report,
        cold: result.cold,
        cpuLimiter: this.cpuLimiter,
      };
      if (!result.ok) {
        out.functionError = 'Unhandled';
        if (result.errorType !== undefined) out.errorType = result.errorType;
      }
      if (tail) out.logResult = tail.toBase64();
      const note = runtimeNoteFor(target.config.runtime);
      if (note !== undefined) out.runtimeNote = note;
      return out;
    } finally {
      this.#concurrency.release(state);
    }
  }

  #event(
    target: Resolved,
    payload: Buffer,
    input: { clientContext?: string | undefined; traceId?: string },
    requestId: string = randomUUID(),
  ): RuntimeEvent {
    const event: RuntimeEvent = {
      requestId,
      payload,
      deadlineMs: Date.now() + target.config.timeout * 1000,
      invokedArn: target.invokedArn,
      traceId: input.traceId ?? traceIdFor(requestId),
    };
    // The Invoke API carries the client context as base64 JSON; the runtime receives the JSON.
    if (input.clientContext) event.clientContext = Buffer.from(input.clientContext, 'base64').toString();
    return event;
  }

  #accepted(statusCode: 202 | 204, target: Resolved): InvokeOutput {
    return {
      statusCode,
      payload: EMPTY,
      executedVersion: target.config.version,
      cold: false,
      cpuLimiter: this.cpuLimiter,
    };
  }

  #log(target: Resolved, line: string): void {
    this.#opts.onLog?.(target.fn.name, line, target.config.version);
  }

  #state(rec: FunctionRecord): FunctionState {
    const state = this.#states.get(rec);
    if (!state) throw resourceConflict(`Function ${rec.name} was deleted`);
    return state;
  }

  #pool(rec: FunctionRecord, config: FunctionConfiguration): Pool {
    const state = this.#state(rec);
    let pool = state.pools.get(config.version);
    if (!pool) {
      const runtime = runtimeInfo(config.runtime);
      if (!runtime) throw invalidParameter(`Unknown runtime ${config.runtime}`);
      const onLog = this.#opts.onLog;
      pool = new Pool({
        config,
        runtime,
        region: this.#region,
        cpu: this.#cpu,
        initGate: this.#initGate,
        ...(onLog ? { log: (line: string) => onLog(rec.name, line, config.version) } : {}),
      });
      state.pools.set(config.version, pool);
    }
    return pool;
  }

  recycleEnvironments(functionName: string, qualifier?: string): void {
    const config = this.#registry.configuration(functionName, qualifier);
    this.#retirePool(this.#registry.get(functionName), config.version);
  }

  #retirePool(rec: FunctionRecord, version: string): void {
    const state = this.#states.get(rec);
    const pool = state?.pools.get(version);
    if (!state || !pool) return;
    state.pools.delete(version);
    this.#retired.add(pool);
    void pool.retire();
  }

  /** Stops the least recently used idle environment of any pool, to free a place for a cold start. */
  #reclaimIdle(): boolean {
    let best: { pool: Pool; since: number } | undefined;
    const pools = [...this.#states.values()].flatMap((state) => [...state.pools.values()]);
    for (const pool of [...pools, ...this.#retired]) {
      const since = pool.oldestIdleSince();
      if (since !== undefined && (best === undefined || since < best.since)) best = { pool, since };
    }
    return best?.pool.evictOldestIdle() ?? false;
  }

  #sweep(): void {
    const freeze = this.#opts.freezeAfterMs ?? DEFAULTS.freezeAfterMs;
    const idle = this.#opts.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs;
    for (const state of this.#states.values())
      for (const pool of state.pools.values()) pool.sweep(freeze, idle);
    for (const pool of this.#retired) {
      pool.sweep(freeze, 0);
      if (pool.size === 0) this.#retired.delete(pool);
    }
  }

  /** Every pool, live and retired. */
  #pools(): Pool[] {
    return [...[...this.#states.values()].flatMap((s) => [...s.pools.values()]), ...this.#retired];
  }

  /** The pids of every live environment (tests use this to check nothing is left behind). */
  environmentPids(): number[] {
    return this.#pools()
      .flatMap((p) => p.environments())
      .map((e) => e.pid)
      .filter((pid): pid is number => pid !== undefined);
  }

  deviations(): LocalDeviations {
    const { count, totalMs, maxMs } = this.#initGate.waits;
    const reuses = this.#initGate.reuses;
    return {
      concurrentInits: this.#initGate.concurrentInits,
      maxEnvironments: this.#initGate.maxEnvironments,
      waitedForEnvironment: count,
      waitMsTotal: totalMs,
      waitMsMax: maxMs,
      reusedInGrace: reuses.count,
      reuseWaitMsTotal: reuses.totalMs,
      graceExpired: reuses.graceExpired,
      saturatedGraceMs: this.#initGate.saturatedGraceMs,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweeper);
    await Promise.all(this.#pools().map((p) => p.close()));
    await Promise.allSettled([...this.#background]);
    // Environments started by invokes still in flight at close are stopped as they come up.
    await Promise.all(this.#pools().map((p) => p.close()));
    this.#cpu.close();
    process.removeListener('exit', this.#killAll);
  }

  /** Last resort when the host process exits without close(): no environment outlives it. */
  readonly #killAll = (): void => {
    // This process is exiting: every environment it started goes, whichever emulator it was for,
    // still initialising or not (the spawner would too, once it sees the channel close).
    for (const pid of new Set([...this.environmentPids(), ...sharedSpawner().livePids()])) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
}

function toBuffer(payload: Uint8Array | string): Buffer {
  if (typeof payload === 'string') return Buffer.from(payload);
  return Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

const notes = new Map<string, string | undefined>();
function runtimeNoteFor(runtime: string): string | undefined {
  if (!notes.has(runtime)) {
    const info = runtimeInfo(runtime);
    notes.set(runtime, info ? runtimeNote(info) : undefined);
  }
  return notes.get(runtime);
}

/** An X-Ray trace header: Root=1-<epoch s hex>-<24 hex>;Parent=<16 hex>;Sampled=0. */
function traceIdFor(requestId: string): string {
  const hex = requestId.replaceAll('-', '');
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hex.slice(0, 24)};Parent=${hex.slice(16)};Sampled=0`;
}

/** The grace from LAMBENCH_SATURATED_GRACE_MS (0: Lambda's rule), else SATURATED_GRACE_MS. */
function graceFromEnvironment(): number {
  const value = process.env.LAMBENCH_SATURATED_GRACE_MS;
  if (value === undefined || value === '') return SATURATED_GRACE_MS;
  const ms = Number(value);
  if (!(Number.isFinite(ms) && ms >= 0)) {
    throw new InputError(
      'SATURATED_GRACE',
      `LAMBENCH_SATURATED_GRACE_MS: '${value}' is not a number of milliseconds; expected 0 (start an environment at once, as Lambda does) or more`,
    );
  }
  return ms;
}
