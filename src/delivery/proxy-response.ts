/**
 * The API Gateway Lambda proxy contract: which HTTP status a client sees for a given invocation
 * result. Pure, so every rule is unit-tested with literal payloads.
 *
 * REST API (payload v1.0), per the Lambda/API Gateway error docs:
 *   - the Lambda API rejected the invoke (throttle, service error) → 500
 *   - the function failed (error, timeout, out of memory)           → 502
 *   - the response is not {statusCode, headers?, multiValueHeaders?, body?, isBase64Encoded?}
 *     with those types, or not JSON at all                           → 502 "Malformed Lambda proxy response"
 * HTTP API (payload v2.0):
 *   - every integration failure is reported as {"message":"Internal Server Error"} → 500
 *     (function errors and malformed structured responses alike)
 *   - a Lambda throttle                                              → 429
 *   - a JSON result without `statusCode` is not an error: status 200, body = the result
 *     (a JSON string result is the body itself)
 * Integration timeouts (504) are decided by the caller, which owns the timer.
 */
import type { InvocationResult } from '../targets/types.js';

export type ProxyVersion = 'v1' | 'v2';

export interface ProxyStatus {
  /** What the client would see. */
  status: number;
  /** Why API Gateway produced the status itself; absent when the status came from the function. */
  reason?: string;
}

export const MALFORMED_PROXY_RESPONSE = 'Malformed Lambda proxy response';

/** The HTTP status API Gateway would return for this invocation result. */
export function proxyResponseStatus(version: ProxyVersion, result: InvocationResult): ProxyStatus {
  switch (result.status) {
    case 'ok':
      return version === 'v1' ? v1Status(result.payload) : v2Status(result.payload);
    case 'throttled':
      return { status: version === 'v1' ? 500 : 429, reason: result.errorType ?? 'TooManyRequestsException' };
    case 'service-error':
      return { status: 500, reason: result.errorType ?? 'ServiceException' };
    default:
      // function-error, timeout, out-of-memory: the function ran and failed.
      return { status: version === 'v1' ? 502 : 500, reason: result.errorType ?? result.status };
  }
}

type Parsed = { ok: true; value: unknown } | { ok: false };

function parseJson(payload: Uint8Array): Parsed {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(payload)) };
  } catch {
    return { ok: false };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringMap(value: unknown): boolean {
  return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isStringListMap(value: unknown): boolean {
  return (
    isObject(value) &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((item) => typeof item === 'string'))
  );
}

function isValidStatusCode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

/** `null` is accepted for optional fields: the Java and .NET event libraries serialise absent fields so. */
function optional(value: unknown, check: (v: unknown) => boolean): boolean {
  return value === undefined || value === null || check(value);
}

const V1_FIELDS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

function v1Status(payload: Uint8Array): ProxyStatus {
  const malformed = { status: 502, reason: MALFORMED_PROXY_RESPONSE };
  const parsed = parseJson(payload);
  if (!parsed.ok || !isObject(parsed.value)) return malformed;
  const r = parsed.value;
  // REST APIs reject any field outside the documented response shape.
  if (Object.keys(r).some((k) => !V1_FIELDS.has(k))) return malformed;
  const valid =
    isValidStatusCode(r.statusCode) &&
    optional(r.headers, isStringMap) &&
    optional(r.multiValueHeaders, isStringListMap) &&
    optional(r.body, (v) => typeof v === 'string') &&
    optional(r.isBase64Encoded, (v) => typeof v === 'boolean');
  return valid ? { status: r.statusCode as number } : malformed;
}

function v2Status(payload: Uint8Array): ProxyStatus {
  if (payload.length === 0) return { status: 200 }; // a handler that returned nothing: empty body
  const parsed = parseJson(payload);
  if (!parsed.ok) return { status: 500, reason: MALFORMED_PROXY_RESPONSE };
  const r = parsed.value;
  // Without statusCode API Gateway infers the response: 200, content-type application/json.
  if (!isObject(r) || !('statusCode' in r)) return { status: 200 };
  const valid =
    isValidStatusCode(r.statusCode) &&
    optional(r.headers, isStringMap) &&
    optional(r.cookies, (v) => Array.isArray(v) && v.every((c) => typeof c === 'string')) &&
    optional(r.body, (v) => typeof v === 'string') &&
    optional(r.isBase64Encoded, (v) => typeof v === 'boolean');
  return valid ? { status: r.statusCode as number } : { status: 500, reason: MALFORMED_PROXY_RESPONSE };
}
