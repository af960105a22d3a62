/**
 * One observed call to the target. Every call a delivery makes goes through here, so every call
 * produces exactly one AttemptRecord — including calls the target rejected by throwing, which are
 * turned into an InvocationResult rather than lost.
 */
import type { AttemptRecord } from '../metrics/types.js';
import type { InvocationResult, InvocationStatus } from '../targets/types.js';
import type { DeliveryContext } from './types.js';

export interface CallOutcome {
  result: InvocationResult;
  /** Monotonic ms on the delivery's clock. */
  startMs: number;
  endMs: number;
}

/** Service errors that retrying cannot fix (the request itself is wrong): Lambda returns 4xx. */
const CLIENT_ERROR_TYPES = new Set([
  'ResourceNotFoundException',
  'InvalidParameterValueException',
  'InvalidRequestContentException',
  'RequestTooLargeException',
  'UnsupportedMediaTypeException',
  'AccessDeniedException',
  'ResourceConflictException',
]);

/** True for a service error Lambda's async queue would keep re-queueing (5xx, not a 4xx client error). */
export function isRetryableServiceError(result: InvocationResult): boolean {
  return result.status === 'service-error' && !CLIENT_ERROR_TYPES.has(result.errorType ?? '');
}

/** True for the statuses Lambda counts as function errors (retried by the async queue). */
export function isFunctionError(status: InvocationStatus): boolean {
  return status === 'function-error' || status === 'timeout' || status === 'out-of-memory';
}

/**
 * Calls the target, with RequestResponse unless told otherwise (so the harness observes every
 * attempt); Event is for deliveries that read the function's figures from its logs afterwards.
 */
export async function callTarget(
  ctx: DeliveryContext,
  payload: string | Uint8Array,
  type: 'RequestResponse' | 'Event' = 'RequestResponse',
): Promise<CallOutcome> {
  const startMs = ctx.clock.now();
  let result: InvocationResult;
  try {
    result = await ctx.target.invoke({
      functionName: ctx.key.functionName,
      qualifier: ctx.key.qualifier,
      payload,
      type,
    });
  } catch (error) {
    result = resultFromThrown(error, (ctx.clock.now() - startMs) * 1000);
  }
  return { result, startMs, endMs: ctx.clock.now() };
}

/** A thrown LambdaServiceError (or anything else) as the InvocationResult it stands for. */
export function resultFromThrown(error: unknown, latencyUs: number): InvocationResult {
  const shape = error as { type?: unknown; reason?: unknown; name?: unknown; message?: unknown };
  const type = typeof shape.type === 'string' ? shape.type : undefined;
  const status: InvocationStatus = type === 'TooManyRequestsException' ? 'throttled' : 'service-error';
  const errorType = type ?? (typeof shape.name === 'string' ? shape.name : 'Error');
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  const result: InvocationResult = {
    status,
    errorType,
    payload: new TextEncoder().encode(JSON.stringify({ errorType, errorMessage: message })),
    callLatencyUs: Math.max(0, Math.round(latencyUs)),
    cold: false,
  };
  if (typeof shape.reason === 'string') result.throttleReason = shape.reason;
  return result;
}

/** Reports one call to the sink. */
export function recordAttempt(
  ctx: DeliveryContext,
  eventId: number,
  attempt: number,
  intendedStartMs: number,
  call: CallOutcome,
  httpStatus?: number,
  marks: Pick<AttemptRecord, 'answeredAfterIntegrationTimeout'> = {},
): void {
  const record: AttemptRecord = {
    key: ctx.key,
    eventId,
    attempt,
    intendedStartMs,
    startMs: call.startMs,
    endMs: call.endMs,
    result: call.result,
  };
  if (httpStatus !== undefined) record.httpStatus = httpStatus;
  if (marks.answeredAfterIntegrationTimeout) record.answeredAfterIntegrationTimeout = true;
  ctx.sink.attempt(record);
}

/** The reason a failed result is filed under: the errorType, else the status. */
export function failureReason(result: InvocationResult): string {
  return result.errorType ?? result.status;
}
