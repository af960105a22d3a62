/**
 * One execution environment: one OS process (its own process group) running a runtime client, and
 * the Runtime API server it polls. Lifecycle: init (spawn → first /next) → idle ⇄ busy → dead.
 * Idle environments can be frozen (SIGSTOP) and are thawed (SIGCONT) on the next invoke.
 */
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type InitializationType, lambdaEnvironment } from './env-vars.js';
import {
  exitError,
  type FunctionFailure,
  invalidEntrypoint,
  outOfMemory,
  postedErrorType,
  responseTooLarge,
  timedOut,
} from './function-errors.js';
import type { CpuControl, CpuLimits } from './limits/cpu-limits.js';
import { cpuShare } from './limits/cpu-share.js';
import { ProcessMemory } from './limits/memory.js';
import {
  billedMs,
  endLine,
  LineSplitter,
  reportLine,
  startLine,
  type TailBuffer,
  timeoutLine,
} from './logs.js';
import {
  MAX_RESPONSE_BYTES,
  type NextRequest,
  type RuntimeApiHandler,
  RuntimeApiServer,
  type RuntimeEvent,
} from './runtime-api.js';
import { hostPythonInterpreter, type RuntimeInfo, runtimeClientPath } from './runtimes.js';
import { SpawnError, sharedSpawner } from './spawner/client.js';
import type { FunctionConfiguration, InvokeReport } from './types.js';

/** Lambda gives on-demand init at most 10 s, whatever the function timeout. */
export const INIT_LIMIT_MS = 10_000;
/** A fresh VmHWM read per invoke is skipped when the last one is this recent (ms). */
const MEMORY_READ_INTERVAL_MS = 5;

export interface EnvironmentOptions {
  config: FunctionConfiguration;
  runtime: RuntimeInfo;
  initType: InitializationType;
  region: string;
  cpu: CpuLimits;
  /** Receives every log line (already bound to the function name). */
  log?: (line: string) => void;
  /** Called once when the process has exited. */
  onExit?: (env: Environment) => void;
  /** Called as soon as the environment exists, before its init (so a closing pool can stop it). */
  onStart?: (env: Environment) => void;
}

/** The outcome of one invoke in this environment. */
export interface EnvironmentResult {
  ok: boolean;
  payload: Buffer;
  errorType?: string;
  report: InvokeReport;
  cold: boolean;
  /** The event never reached the runtime because the environment died first: safe to retry. */
  retry?: boolean;
}

/** Init failed: the function error the caller gets, and how long init ran. */
export class InitFailed extends Error {
  readonly failure: FunctionFailure;
  readonly initDurationMs: number;
  constructor(failure: FunctionFailure, initDurationMs: number) {
    super(failure.errorType);
    this.failure = failure;
    this.initDurationMs = initDurationMs;
  }
}

type State = 'init' | 'idle' | 'busy' | 'dead';
type KillReason = 'timeout' | 'init-timeout' | 'oom' | 'close';

interface Current {
  event: RuntimeEvent;
  tail: TailBuffer | undefined;
  delivered: boolean;
  startedAt: number;
  timer: NodeJS.Timeout;
  resolve: (r: EnvironmentResult) => void;
}

export class Environment implements RuntimeApiHandler {
  readonly config: FunctionConfiguration;
  readonly #opts: EnvironmentOptions;
  #state: State = 'init';
  #pid: number | undefined;
  #api: RuntimeApiServer | undefined;
  #cpu: CpuControl | undefined;
  #pendingNext: NextRequest | undefined;
  #current: Current | undefined;
  #frozen = false;
  #killReason: KillReason | undefined;
  #exited: Promise<void>;
  #markExited!: () => void;
  #splitter: LineSplitter | undefined;
  #initTail: TailBuffer | undefined;
  #stderrTail = '';
  #spawnedAt = 0;
  #initDurationMs: number | undefined;
  #initDone: ((ok: boolean, failure?: FunctionFailure) => void) | undefined;
  #peakKb = 0;
  #lastMemoryRead = 0;
  #memory: ProcessMemory | undefined;
  /** The finished invoke's tail until it settles: output read in the same turn as its result is its. */
  #settlingTail: TailBuffer | undefined;
  /** The finished invoke's END and REPORT lines, written a turn after it settled (#endClosingTurn). */
  #closingLines: (() => void) | undefined;
  /** performance.now() when the environment last became idle. */
  idleSince = 0;
  /** Provisioned environments are never reaped for idleness. */
  readonly provisioned: boolean;

  private constructor(opts: EnvironmentOptions) {
    this.#opts = opts;
    this.config = opts.config;
    this.provisioned = opts.initType === 'provisioned-concurrency';
    if (opts.log) this.#splitter = new LineSplitter(opts.log);
    this.#exited = new Promise((resolve) => {
      this.#markExited = resolve;
    });
  }

  /** Spawns and initialises an environment; rejects with InitFailed when init fails. */
  static async start(opts: EnvironmentOptions, requestId?: string, tail?: TailBuffer): Promise<Environment> {
    const env = new Environment(opts);
    env.#initTail = tail;
    opts.onStart?.(env);
    await env.#boot(requestId);
    return env;
  }

  get state(): State {
    return this.#state;
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  get frozen(): boolean {
    return this.#frozen;
  }

  async #boot(requestId: string | undefined): Promise<void> {
    this.#api = await RuntimeApiServer.listen(this);
    const { command, args, runtimeDir } = this.#command();
    const env = lambdaEnvironment({
      config: this.config,
      runtime: this.#opts.runtime,
      runtimeApi: this.#api.address,
      runtimeDir,
      region: this.#opts.region,
      initType: this.#opts.initType,
    });
    const done = new Promise<FunctionFailure | undefined>((resolve) => {
      this.#initDone = (ok, failure) => resolve(ok ? undefined : failure);
    });
    const group = this.#opts.cpu.group();
    this.#spawnedAt = performance.now();
    // The spawner process forks it, so a cold start costs this event loop one message, not a fork.
    try {
      this.#pid = await sharedSpawner().spawn(
        { command, args, cwd: this.config.codeDir, env, ...(group === undefined ? {} : { cgroup: group }) },
        {
          output: (chunk, stream) => {
            if (stream === 'err') this.#stderrTail = (this.#stderrTail + chunk.toString()).slice(-2048);
            this.#output(chunk);
          },
          exit: (code, signal) => this.#onExit(requestId, code, signal),
        },
      );
    } catch (err) {
      if (group !== undefined) this.#opts.cpu.release(group);
      this.#spawnFailed(requestId, err instanceof SpawnError ? err : new SpawnError(String(err)));
    }
    if (this.#pid !== undefined) {
      this.#memory = new ProcessMemory(this.#pid);
      this.#cpu = this.#opts.cpu.attach(this.#pid, cpuShare(this.config.memorySize), group);
      // Killed (close) while the spawn was on its way: the kill could not reach it then.
      if (this.#killReason !== undefined) this.#signal('SIGKILL');
    }
    const timer = setTimeout(() => this.kill('init-timeout'), INIT_LIMIT_MS);
    const failure = await done;
    clearTimeout(timer);
    this.#initTail = undefined;
    if (failure) {
      const initDurationMs = performance.now() - this.#spawnedAt;
      this.kill('close');
      await this.#exited;
      this.#api.close();
      throw new InitFailed(failure, initDurationMs);
    }
  }

  #command(): { command: string; args: string[]; runtimeDir: string } {
    const { family } = this.#opts.runtime;
    if (family === 'node') {
      const bootstrap = runtimeClientPath('node/bootstrap.js');
      // Lambda sizes V8's old space at about 90% of the memory setting.
      const heap = Math.floor(this.config.memorySize * 0.9);
      return {
        command: process.execPath,
        args: [`--max-old-space-size=${heap}`, bootstrap],
        runtimeDir: dirname(bootstrap),
      };
    }
    if (family === 'python') {
      const bootstrap = runtimeClientPath('python/bootstrap.py');
      const python = hostPythonInterpreter()?.path ?? 'python3';
      return { command: python, args: ['-u', bootstrap], runtimeDir: dirname(bootstrap) };
    }
    return { command: join(this.config.codeDir, 'bootstrap'), args: [], runtimeDir: this.config.codeDir };
  }

  /** Runs one event; resolves with the result or the platform's error (timeout, crash, OOM). */
  invoke(event: RuntimeEvent, tail?: TailBuffer): Promise<EnvironmentResult> {
    if (this.#state !== 'idle') throw new Error(`environment is ${this.#state}, not idle`);
    this.#state = 'busy';
    if (this.#frozen) this.#signal('SIGCONT');
    this.#frozen = false;
    this.#cpu?.busy(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#timeout(), this.config.timeout * 1000);
      this.#current = { event, tail, delivered: false, startedAt: 0, timer, resolve };
      const next = this.#pendingNext;
      // A /next whose connection dropped is useless; the runtime will ask again or exit. While the
      // last invoke's closing lines are pending, the delivery waits for them (#endClosingTurn).
      if (next?.open && this.#closingLines === undefined) {
        this.#pendingNext = undefined;
        this.#deliver(next);
      }
    });
  }

  // ---- Runtime API callbacks ----

  next(request: NextRequest): void {
    if (this.#state === 'init') {
      this.#initDurationMs = performance.now() - this.#spawnedAt;
      this.#state = 'idle';
      this.idleSince = performance.now();
      this.#cpu?.enforce();
      this.#pendingNext = request;
      this.#initDone?.(true);
      return;
    }
    if (this.#current && !this.#current.delivered && this.#closingLines === undefined) this.#deliver(request);
    else this.#pendingNext = request;
  }

  result(
    requestId: string,
    kind: 'response' | 'error',
    body: Buffer,
    errorType: string | undefined,
  ): boolean {
    const cur = this.#current;
    if (!cur?.delivered || cur.event.requestId !== requestId) return false;
    if (kind === 'response') this.#finish(cur, true, body);
    else this.#finish(cur, false, body, postedErrorType(body, errorType));
    return true;
  }

  tooLarge(requestId: string): boolean {
    const cur = this.#current;
    if (!cur?.delivered || cur.event.requestId !== requestId) return false;
    const f = responseTooLarge(MAX_RESPONSE_BYTES);
    this.#finish(cur, false, f.payload, f.errorType);
    return true;
  }

  initError(body: Buffer, errorType: string | undefined): void {
    if (this.#state !== 'init') return;
    this.#initDone?.(false, { errorType: postedErrorType(body, errorType), payload: body });
  }

  // ---- internals ----

  #deliver(next: NextRequest): void {
    const cur = this.#current as Current;
    cur.delivered = true;
    cur.startedAt = performance.now();
    // The deadline runs from delivery, so a cold start's init does not eat into the timeout.
    cur.event.deadlineMs = Date.now() + this.config.timeout * 1000;
    if (this.#splitter || cur.tail)
      this.#platformLog(startLine(cur.event.requestId, this.config.version), cur.tail);
    next.send(cur.event);
  }

  #finish(cur: Current, ok: boolean, payload: Buffer, errorType?: string): void {
    if (this.#current !== cur) return;
    clearTimeout(cur.timer);
    this.#current = undefined;
    const durationMs = cur.delivered ? performance.now() - cur.startedAt : 0;
    const alive = this.#state === 'busy' && this.#killReason === undefined;
    if (alive) {
      this.#cpu?.busy(false);
      this.#readMemory();
    }
    const cold = this.#initDurationMs !== undefined && !this.provisioned;
    const initDurationMs = cold ? this.#initDurationMs : undefined;
    this.#initDurationMs = undefined;
    const memorySizeMB = this.config.memorySize;
    const maxMemoryUsedMB =
      this.#killReason === 'oom' ? memorySizeMB : Math.min(memorySizeMB, Math.ceil(this.#peakKb / 1024));
    const report: InvokeReport = {
      requestId: cur.event.requestId,
      durationMs,
      billedDurationMs: billedMs(durationMs, initDurationMs),
      memorySizeMB,
      maxMemoryUsedMB,
    };
    if (initDurationMs !== undefined) report.initDurationMs = initDurationMs;
    const result: EnvironmentResult = { ok, payload, report, cold };
    if (errorType !== undefined) result.errorType = errorType;
    const closingLines = (): void => {
      this.#platformLog(endLine(report.requestId), cur.tail);
      this.#platformLog(reportLine(report), cur.tail);
    };
    const settle = (): void => {
      if (alive && this.#state === 'busy') {
        this.#state = 'idle';
        this.idleSince = performance.now();
      }
      cur.resolve(result);
    };
    if (cur.tail) {
      // The caller gets this invoke's log tail: settle one turn later, so output the runtime wrote
      // before its result is read and attributed to it first.
      this.#settlingTail = cur.tail;
      setImmediate(() => {
        if (this.#settlingTail === cur.tail) this.#settlingTail = undefined;
        closingLines();
        settle();
      });
      return;
    }
    // The warm hot path settles now: a turn of a busy event loop (a millisecond at thousands of
    // invokes a second) must not count as the caller's latency. When the logs are read, the END
    // and REPORT lines wait that turn instead — output the runtime wrote before its result is
    // already in its socket and is read in this turn — and so does the next event, if one comes
    // at once, so that its START line cannot overtake them.
    if (this.#splitter) {
      this.#closingLines = closingLines;
      setImmediate(() => this.#endClosingTurn());
    }
    settle();
  }

  /** Writes the last invoke's END and REPORT lines, then delivers an event that waited for them. */
  #endClosingTurn(): void {
    const lines = this.#closingLines;
    this.#closingLines = undefined;
    lines?.();
    const next = this.#pendingNext;
    if (this.#state === 'busy' && this.#current && !this.#current.delivered && next?.open) {
      this.#pendingNext = undefined;
      this.#deliver(next);
    }
  }

  #timeout(): void {
    const cur = this.#current;
    if (!cur) return;
    if (this.#splitter || cur.tail)
      this.#platformLog(timeoutLine(cur.event.requestId, this.config.timeout), cur.tail);
    this.kill('timeout');
    const f = timedOut(cur.event.requestId, this.config.timeout);
    this.#finish(cur, false, f.payload, f.errorType);
  }

  #readMemory(): void {
    const now = performance.now();
    if (now - this.#lastMemoryRead < MEMORY_READ_INTERVAL_MS || this.#memory === undefined) return;
    this.#lastMemoryRead = now;
    const hwm = this.#memory.peakKb();
    if (hwm > this.#peakKb) this.#peakKb = hwm;
  }

  /** Periodic check of a running environment's process tree: peak memory, and the kill past the limit. */
  sample(): void {
    if (this.#memory === undefined || (this.#state !== 'busy' && this.#state !== 'init')) return;
    const kb = this.#memory.treeKb();
    if (kb > this.#peakKb) this.#peakKb = kb;
    if (kb > this.config.memorySize * 1024) this.kill('oom');
  }

  /** SIGSTOP an idle environment (lazy freeze); the next invoke thaws it. */
  freeze(): void {
    if (this.#state !== 'idle' || this.#frozen) return;
    this.#frozen = true;
    this.#signal('SIGSTOP');
  }

  kill(reason: KillReason): void {
    if (this.#state === 'dead' || this.#killReason !== undefined) return;
    this.#killReason = reason;
    this.#signal('SIGKILL');
  }

  /** Stops the environment and waits until its process has exited. */
  async close(): Promise<void> {
    // Still being spawned: the kill reason set here reaches the process as soon as its pid does.
    if (this.#pid === undefined && this.#state !== 'init') this.#state = 'dead';
    if (this.#state !== 'dead') {
      this.kill('close');
      await this.#exited;
    }
    this.#api?.close();
  }

  #signal(sig: NodeJS.Signals): void {
    const pid = this.#pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone; the exit handler runs.
    }
  }

  #output(chunk: Buffer): void {
    this.#splitter?.push(chunk);
    (this.#current?.tail ?? this.#settlingTail ?? this.#initTail)?.push(chunk);
  }

  #platformLog(line: string, tail: TailBuffer | undefined): void {
    this.#opts.log?.(line);
    tail?.push(`${line}\n`);
  }

  #spawnFailed(requestId: string | undefined, err: SpawnError): void {
    const what =
      err.code === 'EACCES'
        ? 'permission denied'
        : err.code === 'ENOENT'
          ? 'no such file or directory'
          : err.message;
    this.#initDone?.(false, invalidEntrypoint(requestId, `fork/exec ${err.syscall ?? 'spawn'}: ${what}`));
    this.#initDone = undefined;
    this.#state = 'dead';
    this.#api?.close();
    this.#markExited();
  }

  #onExit(requestId: string | undefined, code: number | null, signal: string | null): void {
    const wasInit = this.#state === 'init';
    this.#state = 'dead';
    this.#splitter?.flush();
    this.#endClosingTurn();
    this.#memory?.close();
    this.#cpu?.dispose();
    this.#api?.close();
    const reason = this.#killReason;
    const heapOom = this.#stderrTail.includes('JavaScript heap out of memory');
    const cur = this.#current;
    const id = cur?.event.requestId ?? requestId;
    const failure =
      reason === 'timeout' || reason === 'init-timeout'
        ? timedOut(id ?? '', reason === 'timeout' ? this.config.timeout : INIT_LIMIT_MS / 1000)
        : reason === 'oom' || heapOom
          ? outOfMemory(id, code, signal)
          : exitError(id, code, signal);
    if (wasInit) this.#initDone?.(false, failure);
    this.#initDone = undefined;
    if (cur && !cur.delivered) {
      clearTimeout(cur.timer);
      this.#current = undefined;
      cur.resolve({
        ok: false,
        payload: failure.payload,
        errorType: failure.errorType,
        cold: false,
        retry: true,
        report: emptyReport(cur.event.requestId, this.config.memorySize),
      });
    } else if (cur && reason !== 'timeout') {
      if (this.#splitter || cur.tail)
        this.#platformLog(`${failure.errorMessage} ${failure.errorType}`, cur.tail);
      this.#finish(cur, false, failure.payload, failure.errorType);
    }
    this.#markExited();
    this.#opts.onExit?.(this);
  }
}

function emptyReport(requestId: string, memorySizeMB: number): InvokeReport {
  return { requestId, durationMs: 0, billedDurationMs: 0, memorySizeMB, maxMemoryUsedMB: 0 };
}
