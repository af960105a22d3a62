/**
 * A Lambda service error (throttle, missing function, oversized request, …) as the Target's
 * InvocationResult, whichever target received it: the local emulator's LambdaServiceError and the
 * AWS target's x-amzn-ErrorType answer map through this one function, so a throttle reads the same
 * in results whether it happened locally or on AWS.
 */
import type { InvocationResult } from './types.js';

/** What a service error says: its shape name, the throttle Reason and the Retry-After header. */
export interface ServiceErrorAnswer {
  errorType: string;
  reason?: string;
  retryAfterS?: number;
}

const EMPTY = new Uint8Array(0);

/** Throttles (TooManyRequestsException) are `throttled`; every other service error is `service-error`. */
export function serviceErrorResult(err: ServiceErrorAnswer, latencyUs: number): InvocationResult {
  const result: InvocationResult = {
    status: err.errorType === 'TooManyRequestsException' ? 'throttled' : 'service-error',
    errorType: err.errorType,
    payload: EMPTY,
    callLatencyUs: latencyUs,
    cold: false,
  };
  if (err.reason !== undefined) result.throttleReason = err.reason;
  if (err.retryAfterS !== undefined) result.retryAfterS = err.retryAfterS;
  return result;
}
