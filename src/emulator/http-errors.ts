/**
 * Service errors on the wire. The SDK finds the error's shape name in the `x-amzn-ErrorType` header
 * (then `code`, then `__type` in the body) and copies body members onto the typed exception by name,
 * so every error goes out with the full shape name (`ResourceNotFoundException`, never the
 * `ResourceNotFound` some emulators send) and a body holding `Type`, both `message` and `Message`
 * (member casing varies by shape) and, for throttles, `Reason` plus a `Retry-After` header.
 */
import type { ServerResponse } from 'node:http';
import { InputError } from '../core/errors.js';
import { LambdaServiceError, type LambdaServiceErrorShape } from './types.js';

/** Sync payloads above 6 MiB are refused, as Lambda does ("Request must be smaller than 6291456 bytes"). */
export const SYNC_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
/** Async (Event) payloads above 1 MiB are refused (the limit was raised from 256 KB in 2025). */
export const ASYNC_PAYLOAD_LIMIT_BYTES = 1024 * 1024;

export function resourceNotFound(message: string): LambdaServiceError {
  return new LambdaServiceError({ type: 'ResourceNotFoundException', httpStatus: 404, message });
}

export function invalidParameter(message: string): LambdaServiceError {
  return new LambdaServiceError({ type: 'InvalidParameterValueException', httpStatus: 400, message });
}

export function invalidRequestContent(message: string): LambdaServiceError {
  return new LambdaServiceError({ type: 'InvalidRequestContentException', httpStatus: 400, message });
}

export function requestTooLarge(limitBytes: number, operation: string): LambdaServiceError {
  return new LambdaServiceError({
    type: 'RequestTooLargeException',
    httpStatus: 413,
    message: `Request must be smaller than ${limitBytes} bytes for the ${operation} operation`,
  });
}

export function unknownOperation(method: string, path: string): LambdaServiceError {
  return new LambdaServiceError({
    type: 'UnknownOperationException',
    httpStatus: 404,
    message: `lambench's emulator does not serve ${method} ${path}`,
  });
}

/** Any error thrown while serving a request, as the service error the client should see. */
export function toServiceError(err: unknown): LambdaServiceErrorShape {
  if (err instanceof LambdaServiceError) return err;
  // Bad values the emulator core rejects with an InputError are the caller's fault, as on AWS.
  if (err instanceof InputError) return invalidParameter(err.message);
  const message = err instanceof Error ? err.message : String(err);
  return { type: 'ServiceException', httpStatus: 500, message };
}

/** Writes a service error in the REST-JSON shape the SDK parses into a typed exception. */
export function sendServiceError(
  res: ServerResponse,
  error: LambdaServiceErrorShape,
  requestId: string,
): void {
  const clientSide = error.httpStatus < 500;
  const body: Record<string, string> = {
    Type: clientSide ? 'User' : 'Service',
    message: error.message,
    Message: error.message,
  };
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'x-amzn-errortype': error.type,
    'x-amzn-requestid': requestId,
  };
  if (error.reason !== undefined) body.Reason = error.reason;
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  const text = JSON.stringify(body);
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(error.httpStatus, headers);
  res.end(text);
}
