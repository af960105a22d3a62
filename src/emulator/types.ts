/**
 * The emulator's in-process API: the same operations the HTTP Invoke and control-plane API serves,
 * without HTTP, for lambench's own hot path (targets/local.ts) and for the HTTP server itself.
 * Names follow the Lambda API so the mapping to the wire format is one-to-one.
 */

export type RuntimeId = string; // nodejs20.x | nodejs22.x | nodejs24.x | python3.x | provided.al2023 | provided.al2

/** Configuration of one function version ($LATEST is mutable, published versions are frozen copies). */
export interface FunctionConfiguration {
  functionName: string;
  functionArn: string;
  /** Directory holding the handler code (CodeUri). */
  codeDir: string;
  handler: string;
  runtime: RuntimeId;
  memorySize: number; // MB, 128–10240
  timeout: number; // seconds, 1–900
  environment: Record<string, string>;
  version: string; // "$LATEST" or "1", "2", …
  description?: string;
  lastModified: string; // ISO
}

export interface CreateFunctionInput {
  functionName: string;
  codeDir: string;
  handler: string;
  runtime: RuntimeId;
  memorySize?: number; // default 128
  timeout?: number; // default 3
  environment?: Record<string, string>;
  reservedConcurrency?: number;
  description?: string;
}

export interface UpdateFunctionConfigurationInput {
  memorySize?: number;
  timeout?: number;
  environment?: Record<string, string>;
  handler?: string;
  runtime?: RuntimeId;
  description?: string;
}

export interface AliasConfiguration {
  name: string;
  aliasArn: string;
  functionVersion: string;
  /** Weighted routing: at most one additional version, weight 0.0–1.0. */
  additionalVersionWeights?: Record<string, number>;
  description?: string;
}

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface InvokeInput {
  /** Name, name:qualifier, full or partial ARN. */
  functionName: string;
  qualifier?: string;
  payload: Uint8Array | string;
  invocationType?: InvocationType; // default RequestResponse
  logType?: 'None' | 'Tail';
  /** Base64 JSON as sent in X-Amz-Client-Context. */
  clientContext?: string;
  traceId?: string;
}

/** The REPORT line's figures. */
export interface InvokeReport {
  requestId: string;
  durationMs: number; // fractional, as in `Duration: 12.34 ms`
  billedDurationMs: number; // integer ms, rounded up; includes init on cold starts
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  initDurationMs?: number; // cold starts only
}

export type CpuLimiter = 'cgroup-v2' | 'cgroup-v1' | 'duty-cycle' | 'off';

export interface InvokeOutput {
  statusCode: 200 | 202 | 204;
  /** Set when the function failed; the payload is then the error JSON. */
  functionError?: 'Unhandled';
  /** The errorType of a failed invoke (Runtime.ExitError, Sandbox.Timedout, Runtime.OutOfMemory, …). */
  errorType?: string;
  payload: Uint8Array;
  executedVersion: string;
  /** Base64 of the last 4 KB of the log, with logType Tail. */
  logResult?: string;
  /** Absent for Event (queued) and DryRun. */
  report?: InvokeReport;
  cold: boolean;
  cpuLimiter: CpuLimiter;
  /** Set when the machine's runtime differs from the one the function asks for. */
  runtimeNote?: string;
  /**
   * Event (202): the request id the queued invocation runs under, as Lambda answers it in
   * x-amzn-RequestId — the id its START/END/REPORT lines carry.
   */
  requestId?: string;
}

/**
 * Service errors (not function errors) are thrown as LambdaServiceError with the AWS shape name,
 * so the HTTP server can send `x-amzn-ErrorType` and the SDK raises the typed exception.
 */
export interface LambdaServiceErrorShape {
  type: string; // ResourceNotFoundException, TooManyRequestsException, …
  httpStatus: number;
  message: string;
  reason?: string; // TooManyRequestsException Reason
  retryAfterSeconds?: number;
}

/**
 * A service error (throttle, missing function, bad request): an answer of the API, not a bug, so it
 * carries no stack. A harness that has fallen behind can meet thousands of throttles a second, and
 * capturing a stack for each (V8 walks and symbolises every frame) made it fall further behind.
 */
export class LambdaServiceError extends Error implements LambdaServiceErrorShape {
  override name = 'LambdaServiceError';
  readonly type: string;
  readonly httpStatus: number;
  readonly reason?: string;
  readonly retryAfterSeconds?: number;
  constructor(shape: LambdaServiceErrorShape) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(shape.message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.type = shape.type;
    this.httpStatus = shape.httpStatus;
    if (shape.reason !== undefined) this.reason = shape.reason;
    if (shape.retryAfterSeconds !== undefined) this.retryAfterSeconds = shape.retryAfterSeconds;
  }
}

export interface EmulatorOptions {
  region?: string; // default us-east-1
  accountId?: string; // default 123456789012
  /** Account-wide concurrency limit; default 1000. */
  accountConcurrency?: number;
  /** Idle time after which a warm environment is stopped (next invoke is cold); default 10 min. */
  idleTimeoutMs?: number;
  /** Idle time after which an environment is frozen with SIGSTOP; default 100 ms. */
  freezeAfterMs?: number;
  /**
   * Environments that may initialise at once on this machine (default: the host's cores, at least
   * 2). Past it, an invoke waits for a permit or for an idle environment of its function.
   */
  maxConcurrentInits?: number;
  /**
   * On-demand environments alive at once across every function (default 64). Past it, an invoke
   * waits for an idle environment of its function; provisioned ones are not counted.
   */
  maxEnvironments?: number;
  /**
   * While this host is saturated (an environment initialising, or the emulator's timers running
   * late), how long an invoke that finds every environment of its function busy waits for one to
   * free before starting a new one, in ms (default 1). 0 starts one at once, as Lambda does.
   */
  saturatedGraceMs?: number;
  /** Force a CPU limiter; default: the best the machine allows. */
  cpuLimiter?: CpuLimiter | 'auto';
  /**
   * Where function logs go besides the Tail buffer (e.g. the terminal for `invoke`); `version` is the
   * function version the line's environment runs (a log stream per version, as on Lambda).
   */
  onLog?: (functionName: string, line: string, version: string) => void;
}

/** The account's concurrency, as GetAccountSettings reports it (AccountLimit). */
export interface AccountSettings {
  concurrentExecutions: number;
  unreservedConcurrentExecutions: number;
}

/** The in-process API. */
export interface LambdaApi {
  createFunction(input: CreateFunctionInput): Promise<FunctionConfiguration>;
  getFunctionConfiguration(functionName: string, qualifier?: string): FunctionConfiguration;
  updateFunctionConfiguration(
    functionName: string,
    input: UpdateFunctionConfigurationInput,
  ): Promise<FunctionConfiguration>;
  deleteFunction(functionName: string): Promise<void>;
  /** DeleteFunction with a version number as Qualifier. */
  deleteVersion(functionName: string, version: string): Promise<void>;
  /** GetAccountSettings' concurrency figures. */
  getAccountSettings(): AccountSettings;
  listFunctions(): FunctionConfiguration[];
  publishVersion(functionName: string, description?: string): FunctionConfiguration;
  listVersionsByFunction(functionName: string): FunctionConfiguration[];
  createAlias(functionName: string, alias: Omit<AliasConfiguration, 'aliasArn'>): AliasConfiguration;
  getAlias(functionName: string, name: string): AliasConfiguration;
  updateAlias(
    functionName: string,
    name: string,
    update: Partial<Omit<AliasConfiguration, 'name' | 'aliasArn'>>,
  ): AliasConfiguration;
  deleteAlias(functionName: string, name: string): void;
  listAliases(functionName: string): AliasConfiguration[];
  putFunctionConcurrency(functionName: string, reservedConcurrentExecutions: number): void;
  deleteFunctionConcurrency(functionName: string): void;
  getFunctionConcurrency(functionName: string): number | undefined;
  putProvisionedConcurrency(functionName: string, qualifier: string, count: number): Promise<void>;
  invoke(input: InvokeInput): Promise<InvokeOutput>;
  /**
   * Retires the environments of the version a qualifier points to (idle ones stop now, busy ones
   * when their invoke ends): the next invoke of that qualifier starts a new environment, cold.
   * Not an AWS API; lambench uses it to force cold starts locally.
   */
  recycleEnvironments(functionName: string, qualifier?: string): void;
  /** The CPU limiter this machine allows (what invokes will report). */
  readonly cpuLimiter: CpuLimiter;
  /** Where this emulator behaved unlike Lambda so far (local bounds on environments). */
  deviations(): LocalDeviations;
  /** Stops every environment; no process is left behind. */
  close(): Promise<void>;
}

/**
 * Lambda never queues a synchronous invoke: with no idle environment it starts one (or throttles).
 * Locally, environments share the host's cores, so inits run at most `concurrentInits` at once and
 * at most `maxEnvironments` exist; past either bound an invoke waits for an init slot or for an
 * environment of its function to become idle, and that wait is in its latency. While the host is
 * saturated (an environment initialising, or the emulator's timers late), an invoke that finds
 * every environment busy first waits a millisecond for one to free.
 */
export interface LocalDeviations {
  concurrentInits: number;
  maxEnvironments: number;
  /** Invokes that waited for an environment where Lambda would have started one. */
  waitedForEnvironment: number;
  waitMsTotal: number;
  waitMsMax: number;
  /**
   * Invokes that found every environment busy while the host was saturated and, within
   * SATURATED_GRACE_MS, got one that had just freed, where Lambda would have started one.
   */
  reusedInGrace: number;
  reuseWaitMsTotal: number;
  /** Invokes whose grace ran out with every environment busy: they started one (or waited on) a grace later. */
  graceExpired: number;
  /** The grace those invokes were given, in ms (EmulatorOptions.saturatedGraceMs). */
  saturatedGraceMs: number;
}
