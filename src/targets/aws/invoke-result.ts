/**
 * An Invoke response as the Target's InvocationResult, whichever client made the call (the signed
 * HTTP pool or the SDK's InvokeCommand). The figures come from the REPORT line in the Tail log
 * (X-Amz-Log-Result): a cold start is an invoke whose REPORT has an Init or a Restore Duration.
 */
import { reportFromLogResult } from '../report-line.js';
import { type ServiceErrorAnswer, serviceErrorResult } from '../service-error-result.js';
import type { InvocationResult, InvocationStatus } from '../types.js';

/** The parts of an Invoke response the result is made from (headers lower-cased). */
export interface InvokeResponse {
  statusCode: number;
  payload: Uint8Array;
  functionError?: string;
  logResult?: string;
  executedVersion?: string;
  requestId?: string;
}

/** A service error answer: x-amzn-ErrorType, the body's Reason and message, the Retry-After header. */
export interface InvokeServiceError extends ServiceErrorAnswer {
  message?: string;
}

/** Lambda's errorType for a function's answer, read from the error JSON it returned. */
function errorTypeOf(payload: Uint8Array): { errorType?: string; errorMessage?: string } {
  try {
    const doc = JSON.parse(
      Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'),
    );
    if (doc === null || typeof doc !== 'object') return {};
    const out: { errorType?: string; errorMessage?: string } = {};
    if (typeof doc.errorType === 'string') out.errorType = doc.errorType;
    if (typeof doc.errorMessage === 'string') out.errorMessage = doc.errorMessage;
    return out;
  } catch {
    return {};
  }
}

/**
 * Timeouts and out-of-memory kills are platform errors with their own status. AWS reports a
 * timeout as errorType Sandbox.Timedout (older runtimes: only "Task timed out after N seconds"),
 * and a kill past the memory limit as Runtime.OutOfMemory (older: Runtime.ExitError with Max
 * Memory Used at the Memory Size).
 */
function statusOf(
  errorType: string | undefined,
  message: string | undefined,
  result: InvocationResult,
): InvocationStatus {
  if (errorType === 'Sandbox.Timedout' || message?.includes('Task timed out after')) return 'timeout';
  if (errorType === 'Runtime.OutOfMemory') return 'out-of-memory';
  if (
    errorType === 'Runtime.ExitError' &&
    result.maxMemoryUsedMB !== undefined &&
    result.memorySizeMB !== undefined &&
    result.maxMemoryUsedMB >= result.memorySizeMB
  )
    return 'out-of-memory';
  return 'function-error';
}

/** A 200/202/204 Invoke answer as a result; `latencyUs` is the caller's own measurement. */
export function resultFromInvoke(res: InvokeResponse, latencyUs: number): InvocationResult {
  const result: InvocationResult = {
    status: 'ok',
    payload: res.payload,
    callLatencyUs: latencyUs,
    cold: false,
  };
  if (res.executedVersion !== undefined) result.executedVersion = res.executedVersion;
  if (res.requestId !== undefined) result.requestId = res.requestId;
  if (res.logResult !== undefined) {
    const r = reportFromLogResult(res.logResult, res.requestId);
    if (r !== undefined) {
      result.durationMs = r.durationMs;
      result.billedDurationMs = r.billedDurationMs;
      result.memorySizeMB = r.memorySizeMB;
      result.maxMemoryUsedMB = r.maxMemoryUsedMB;
      if (r.initDurationMs !== undefined) result.initDurationMs = r.initDurationMs;
      if (r.restoreDurationMs !== undefined) result.restoreDurationMs = r.restoreDurationMs;
      result.cold = r.initDurationMs !== undefined || r.restoreDurationMs !== undefined;
    }
  }
  if (res.functionError !== undefined) {
    const { errorType, errorMessage } = errorTypeOf(res.payload);
    result.status = statusOf(errorType, errorMessage, result);
    result.errorType = errorType ?? res.functionError;
  }
  return result;
}

/** A service error (throttle, missing function, …) as a result: never retried, never hidden. */
export function resultFromServiceError(err: InvokeServiceError, latencyUs: number): InvocationResult {
  return serviceErrorResult(err, latencyUs);
}

/** x-amzn-ErrorType may carry a suffix (`TooManyRequestsException:http://internal.amazon.com/…`). */
export function errorTypeFromHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const colon = value.indexOf(':');
  return colon < 0 ? value : value.slice(0, colon);
}
