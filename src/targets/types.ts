/**
 * Target: the one seam between "what to send" and "where it runs". The local target calls the
 * embedded emulator in process; the AWS target (later) calls @aws-sdk/client-lambda. Both pass the
 * same contract tests.
 */

/** What the scenario says about a function, independent of where it runs. */
export interface FunctionDefinition {
  /** Logical name in the scenario (also the deployed name locally). */
  name: string;
  /** handler as `dir/file.export` relative to codeDir, or as Lambda's `file.export` with codeDir. */
  handler: string;
  codeDir: string;
  runtime: string;
  timeoutS: number;
  environment: Record<string, string>;
  reservedConcurrency?: number;
  provisionedConcurrency?: number;
  /** On AWS: the deployed function's name or ARN. */
  remoteName?: string;
}

/** One point of a sweep for one function. */
export interface FunctionSetting {
  memoryMB: number;
  /** Instruction set; absent means the function's own (x86_64 unless it says otherwise). */
  architecture?: 'x86_64' | 'arm64';
  timeoutS?: number;
  environment?: Record<string, string>;
}

export type InvocationStatus =
  | 'ok'
  | 'function-error'
  | 'throttled'
  | 'timeout'
  | 'out-of-memory'
  | 'service-error';

export interface InvocationResult {
  status: InvocationStatus;
  /** errorType from the function or the platform (Sandbox.Timedout, Runtime.ExitError, TooManyRequestsException, …). */
  errorType?: string;
  /** Throttle reason (ReservedFunctionConcurrentInvocationLimitExceeded, …). */
  throttleReason?: string;
  /** A throttle's Retry-After header, in seconds (AWS target). */
  retryAfterS?: number;
  /** The raw response payload (function result or error JSON); empty for throttles and Event. */
  payload: Uint8Array;
  /** Wall time of the call as the target measured it, in microseconds. */
  callLatencyUs: number;
  /** REPORT figures when known (ms as Lambda reports them). */
  durationMs?: number;
  billedDurationMs?: number;
  initDurationMs?: number;
  /** SnapStart's restore time (REPORT `Restore Duration`); present on restored cold starts. */
  restoreDurationMs?: number;
  maxMemoryUsedMB?: number;
  memorySizeMB?: number;
  cold: boolean;
  executedVersion?: string;
}

export interface InvokeRequest {
  functionName: string;
  qualifier: string;
  payload: Uint8Array | string;
  /** Delivery emulates Lambda's async queue itself, so most calls are RequestResponse. */
  type: 'RequestResponse' | 'Event';
}

export interface TargetInfo {
  kind: 'local' | 'aws';
  /** CPU limiter in force locally (cgroup-v2, cgroup-v1, duty-cycle, off). */
  cpuLimiter?: string;
  /** Runtime version notes (the machine's node/python vs the function's runtime). */
  notes: string[];
  /**
   * Locally: the binary each runtime's environments were spawned with, by runtime id
   * (`python3.12` → the resolved python, never a pyenv/asdf shim). Absent on AWS.
   */
  interpreters?: Record<string, { path: string; version: string }>;
}

export interface Target {
  readonly info: TargetInfo;
  /** Deploys (locally) or finds (on AWS) the function; idempotent. */
  ensureFunction(fn: FunctionDefinition): Promise<void>;
  /** A qualifier (version or alias) whose configuration has this setting. */
  prepare(fn: FunctionDefinition, setting: FunctionSetting): Promise<string>;
  invoke(req: InvokeRequest): Promise<InvocationResult>;
  /**
   * After this, the next invoke of the returned qualifier starts a new execution environment
   * (a cold start). Locally the qualifier's environments are recycled and the same qualifier is
   * returned; on AWS a fresh version is published behind it. Return the qualifier given (an
   * alias moved to the fresh version): a sweep's routes and series stay keyed by it.
   */
  forceColdStart(fn: FunctionDefinition, qualifier: string): Promise<string>;
  /** Restores what prepare changed (on AWS) and stops environments (locally). */
  close(): Promise<void>;
}
