/**
 * Constructors for the Lambda service errors the emulator throws, with the AWS shape names and HTTP
 * statuses of the Lambda API model (see the Invoke API error table), so the HTTP server can send
 * `x-amzn-ErrorType` verbatim and SDK clients raise the typed exception.
 */
import { LambdaServiceError } from './types.js';

export function resourceNotFound(message: string): LambdaServiceError {
  return new LambdaServiceError({ type: 'ResourceNotFoundException', httpStatus: 404, message });
}

export function invalidParameter(message: string): LambdaServiceError {
  return new LambdaServiceError({ type: 'InvalidParameterValueException', httpStatus: 400, message });
}

export function resourceConflict(message: string): LambdaServiceError {
  return new LambdaServiceError({ type: 'ResourceConflictException', httpStatus: 409, message });
}

export type ThrottleReason =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded';

/** 429 with the Reason enum; AWS sends `Rate Exceeded.` and a Retry-After header (seconds). */
export function tooManyRequests(reason: ThrottleReason): LambdaServiceError {
  return new LambdaServiceError({
    type: 'TooManyRequestsException',
    httpStatus: 429,
    message: 'Rate Exceeded.',
    reason,
    retryAfterSeconds: 1,
  });
}

export function requestTooLarge(size: number, limit: number): LambdaServiceError {
  return new LambdaServiceError({
    type: 'RequestTooLargeException',
    httpStatus: 413,
    message: `Request must be smaller than ${limit} bytes for the invoke operation (got ${size} bytes)`,
  });
}
