/**
 * The CloudFormation custom-resource response contract (what the provider PUTs to ResponseURL),
 * checked the way CloudFormation would: a JSON body of at most 4,096 bytes with Status SUCCESS or
 * FAILED, a Reason when FAILED, a non-empty PhysicalResourceId of at most 1 KB, and StackId,
 * RequestId and LogicalResourceId echoed from the request.
 */
import { InputError } from '../core/errors.js';

export const MAX_RESPONSE_BYTES = 4096;
const MAX_PHYSICAL_ID_BYTES = 1024;

/** The request fields a response must echo. */
export interface CfnRequestIds {
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
}

export type CfnVerdict =
  | { valid: true; status: 'SUCCESS' | 'FAILED'; reason?: string; physicalResourceId: string }
  | { valid: false; problem: string };

/**
 * Judges one PUT body against the request it answers. `totalBytes` is the body's full size when
 * `body` holds only its start (the endpoint keeps at most 64 KB of a body).
 */
export function checkCfnResponse(
  body: Uint8Array,
  request: CfnRequestIds,
  totalBytes: number = body.length,
): CfnVerdict {
  if (totalBytes > MAX_RESPONSE_BYTES) {
    return {
      valid: false,
      problem: `response body is ${totalBytes} bytes; CloudFormation accepts at most ${MAX_RESPONSE_BYTES}`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return { valid: false, problem: 'response body is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { valid: false, problem: 'response body is not a JSON object' };
  }
  const r = parsed as Record<string, unknown>;
  if (r.Status !== 'SUCCESS' && r.Status !== 'FAILED') {
    return { valid: false, problem: `Status must be SUCCESS or FAILED, got ${JSON.stringify(r.Status)}` };
  }
  if (r.Status === 'FAILED' && (typeof r.Reason !== 'string' || r.Reason.length === 0)) {
    return { valid: false, problem: 'Reason is required when Status is FAILED' };
  }
  const id = r.PhysicalResourceId;
  if (typeof id !== 'string' || id.length === 0) {
    return { valid: false, problem: 'PhysicalResourceId must be a non-empty string' };
  }
  if (Buffer.byteLength(id) > MAX_PHYSICAL_ID_BYTES) {
    return { valid: false, problem: `PhysicalResourceId is longer than ${MAX_PHYSICAL_ID_BYTES} bytes` };
  }
  for (const field of ['StackId', 'RequestId', 'LogicalResourceId'] as const) {
    if (r[field] !== request[field]) {
      return {
        valid: false,
        problem: `${field} ${JSON.stringify(r[field])} does not echo the request's ${JSON.stringify(request[field])}`,
      };
    }
  }
  if (r.NoEcho !== undefined && typeof r.NoEcho !== 'boolean')
    return { valid: false, problem: 'NoEcho must be a boolean' };
  if (r.Data !== undefined && (typeof r.Data !== 'object' || r.Data === null || Array.isArray(r.Data))) {
    return { valid: false, problem: 'Data must be a JSON object' };
  }
  const verdict: CfnVerdict = { valid: true, status: r.Status, physicalResourceId: id };
  if (typeof r.Reason === 'string') verdict.reason = r.Reason;
  return verdict;
}

/** The request ids of a CloudFormation event, or an InputError naming what is missing. */
export function cfnRequestIds(event: Record<string, unknown>, eventId: number): CfnRequestIds {
  const ids: Partial<CfnRequestIds> = {};
  for (const field of ['StackId', 'RequestId', 'LogicalResourceId'] as const) {
    const value = event[field];
    if (typeof value !== 'string') {
      throw new InputError('INVALID_CFN_EVENT', `CloudFormation event ${eventId}: ${field} must be a string`);
    }
    ids[field] = value;
  }
  return ids as CfnRequestIds;
}

/**
 * The event's ResourceProperties.ServiceTimeout (a string of 1–3600 seconds) in ms, or undefined
 * when absent or out of range: how long CloudFormation waits for this resource's response.
 */
export function cfnServiceTimeoutMs(event: Record<string, unknown>): number | undefined {
  const props = event.ResourceProperties as { ServiceTimeout?: unknown } | undefined;
  const raw = props?.ServiceTimeout;
  const seconds = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : Number.NaN;
  return Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600 ? seconds * 1000 : undefined;
}

/**
 * Points a generated CloudFormation event at the local response endpoint: returns the payload with
 * ResponseURL replaced (the run calls this before deliver, with endpoint.urlFor(eventId)).
 */
export function withResponseUrl(payload: string, url: string): string {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    event = undefined;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InputError('INVALID_CFN_EVENT', 'a CloudFormation custom-resource event must be a JSON object');
  }
  return JSON.stringify({ ...event, ResponseURL: url });
}
