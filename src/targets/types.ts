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
  /** The invocation's request id (x-amzn-RequestId): an Event invoke's REPORT line is found by it. */
  requestId?: string;
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

/** A REPORT line read back from a function's logs (the same figures an Invoke Tail carries). */
export interface LoggedReport {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  initDurationMs?: number;
  restoreDurationMs?: number;
  /** The REPORT's `Status` (timeout, error) when the platform wrote one; absent for success. */
  status?: string;
  /** The REPORT's `Error Type` (Runtime.OutOfMemory, …) when it has one. */
  errorType?: string;
}

/** Which REPORT lines to read: those of these request ids, or every one of a qualifier's version. */
export interface LogReportQuery {
  functionName: string;
  qualifier: string;
  /** Wall-clock epoch ms: no line of the run is older. */
  sinceEpochMs: number;
  /** Request ids whose REPORT lines to find (Event invokes); absent: every REPORT of the version. */
  requestIds?: readonly string[];
  /** Without requestIds: stop waiting once this many REPORT lines are found. */
  expected?: number;
  /**
   * Without requestIds: only REPORT lines with this Memory Size — the invocations an AWS service
   * made of whatever version it invokes ($LATEST, or an alias of the user's) while the point's
   * setting was in force. Absent: the lines of the qualifier's version's log streams.
   */
  memorySizeMB?: number;
}

/** What reading the logs found, and what it did not. */
export interface LogReports {
  /** Where the lines were read (AWS: the CloudWatch Logs group `/aws/lambda/<function>`). */
  logGroup: string;
  matchedBy: 'request-id' | 'version' | 'memory-size';
  /** Every REPORT line found, oldest first (an async event Lambda retried has one per invocation). */
  reports: LoggedReport[];
  /** Request ids with no REPORT line when the bounded wait ended. */
  notFound: string[];
  /** From the first read to the last. */
  waitedMs: number;
  /** FilterLogEvents calls made (pages included). */
  requests: number;
}

/** One message `delivery: service` publishes to an SNS topic (String message attributes). */
export interface ServiceMessage {
  message: string;
  subject?: string;
  attributes?: Record<string, string>;
}

/** One record `delivery: service` puts on a Kinesis stream. */
export interface ServiceRecord {
  data: Uint8Array;
  partitionKey: string;
}

/** What the service answered for one message or record, after the retries of rejected entries. */
export interface ServiceEntryOutcome {
  ok: boolean;
  /** The service's code for the last rejection (ThrottlingException, ProvisionedThroughputExceededException, …). */
  errorCode?: string;
  /** Calls that carried this entry (1 = accepted or refused for good at the first). */
  attempts: number;
}

/** The real services `delivery: service` hands events to (aws target). */
export interface ServiceSender {
  /** PublishBatch (≤ 10 per call), retrying entries SNS failed on its side. */
  publish(topicArn: string, messages: readonly ServiceMessage[]): Promise<ServiceEntryOutcome[]>;
  /** PutRecords (≤ 500 per call), retrying rejected records. Stream name or ARN. */
  putRecords(stream: string, records: readonly ServiceRecord[]): Promise<ServiceEntryOutcome[]>;
}

export interface Target {
  readonly info: TargetInfo;
  /** Publishes and puts for `delivery: service`; absent on targets without real services. */
  readonly services?: ServiceSender;
  /**
   * Reads functions' REPORT lines from their logs, for calls whose answer carries no figures
   * (Event invokes, invocations made by an AWS service). Absent on targets without such logs.
   */
  readonly logs?: { reports(query: LogReportQuery): Promise<LogReports> };
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
