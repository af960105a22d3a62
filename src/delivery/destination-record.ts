/**
 * The invocation record Lambda sends to an on-failure destination: the same shape AWS documents
 * for asynchronous invocation destinations.
 */
import { randomUUID } from 'node:crypto';
import type { InvocationResult } from '../targets/types.js';

/**
 * Why the event went to the destination. RetriesExhausted and EventAgeExceeded are AWS's;
 * ZeroReservedConcurrency is the condition LocalStack reports when reserved concurrency is 0.
 */
export type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';

export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: FailureCondition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion?: string; functionError?: string };
  responsePayload?: unknown;
}

export interface FunctionArnParts {
  region?: string;
  accountId?: string;
  functionName: string;
  qualifier?: string;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`, with the emulator's defaults. */
export function functionArn(parts: FunctionArnParts): string {
  const base = `arn:aws:lambda:${parts.region ?? 'us-east-1'}:${parts.accountId ?? '123456789012'}:function:${parts.functionName}`;
  return parts.qualifier ? `${base}:${parts.qualifier}` : base;
}

/** The HTTP status the Invoke API answered with for this result (the record's responseContext.statusCode). */
function invokeStatusCode(result: InvocationResult | undefined): number {
  if (!result) return 429; // never invoked: reserved concurrency 0 throttles every call
  if (result.status === 'throttled') return 429;
  if (result.status === 'service-error') return 500;
  return 200; // function errors are still HTTP 200 with X-Amz-Function-Error
}

/** JSON when the payload is JSON, else the text; undefined for an empty payload. */
export function decodePayload(payload: Uint8Array | string): unknown {
  const text = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function buildInvocationRecord(input: {
  wallNowMs: number;
  functionArn: string;
  condition: FailureCondition;
  invokeCount: number;
  requestPayload: string;
  lastResult: InvocationResult | undefined;
  requestId?: string;
}): InvocationRecord {
  const last = input.lastResult;
  const responseContext: InvocationRecord['responseContext'] = { statusCode: invokeStatusCode(last) };
  if (last?.executedVersion !== undefined) responseContext.executedVersion = last.executedVersion;
  if (last && last.status !== 'ok' && last.status !== 'throttled' && last.status !== 'service-error')
    responseContext.functionError = 'Unhandled';
  const record: InvocationRecord = {
    version: '1.0',
    timestamp: new Date(input.wallNowMs).toISOString(),
    requestContext: {
      requestId: input.requestId ?? randomUUID(),
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.invokeCount,
    },
    requestPayload: decodePayload(input.requestPayload),
    responseContext,
  };
  const response = last ? decodePayload(last.payload) : undefined;
  if (response !== undefined) record.responsePayload = response;
  return record;
}
