/**
 * Invoke over HTTP (`POST /2015-03-31/functions/{FunctionName}/invocations`): headers in, the
 * in-process invoke, headers out. A function error is not an HTTP error: it is a 200 with
 * `X-Amz-Function-Error: Unhandled` and the error JSON as the body, as on AWS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http-body.js';
import {
  ASYNC_PAYLOAD_LIMIT_BYTES,
  invalidParameter,
  invalidRequestContent,
  SYNC_PAYLOAD_LIMIT_BYTES,
} from './http-errors.js';
import { parseFunctionRef } from './http-routes.js';
import type { InvocationType, InvokeInput, LambdaApi } from './types.js';

const INVOCATION_TYPES: ReadonlySet<string> = new Set(['RequestResponse', 'Event', 'DryRun']);

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads the Invoke request into the in-process API's input; throws the service error AWS would send. */
export async function readInvokeInput(
  req: IncomingMessage,
  rawFunctionName: string,
  queryQualifier: string | undefined,
): Promise<InvokeInput> {
  const type = headerOf(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (!INVOCATION_TYPES.has(type)) {
    throw invalidParameter(`X-Amz-Invocation-Type must be RequestResponse, Event or DryRun; got '${type}'.`);
  }
  const invocationType = type as InvocationType;
  // The async limit applies to Event invokes only (1 MiB), the sync one (6 MiB) to the rest.
  const limit = invocationType === 'Event' ? ASYNC_PAYLOAD_LIMIT_BYTES : SYNC_PAYLOAD_LIMIT_BYTES;
  const payload = await readBody(req, limit, 'Invoke');
  checkJson(payload);
  const ref = parseFunctionRef(rawFunctionName, queryQualifier);
  const input: InvokeInput = { functionName: ref.name, payload, invocationType };
  if (ref.qualifier !== undefined) input.qualifier = ref.qualifier;
  const logType = headerOf(req, 'x-amz-log-type');
  if (logType === 'Tail' || logType === 'None') input.logType = logType;
  else if (logType !== undefined)
    throw invalidParameter(`X-Amz-Log-Type must be None or Tail; got '${logType}'.`);
  const clientContext = headerOf(req, 'x-amz-client-context');
  if (clientContext !== undefined) input.clientContext = clientContext;
  const traceId = headerOf(req, 'x-amzn-trace-id');
  if (traceId !== undefined) input.traceId = traceId;
  return input;
}

/** Lambda refuses a payload that is not JSON; an empty body is allowed (the function receives `{}`). */
function checkJson(payload: Buffer): void {
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw invalidRequestContent(`Could not parse request body into json: ${(err as Error).message}`);
  }
}

/** Invokes and writes the response: status 200/202/204 and the X-Amz-* result headers. */
export async function serveInvoke(
  api: LambdaApi,
  req: IncomingMessage,
  res: ServerResponse,
  rawFunctionName: string,
  queryQualifier: string | undefined,
  requestId: string,
): Promise<void> {
  const input = await readInvokeInput(req, rawFunctionName, queryQualifier);
  const out = await api.invoke(input);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'x-amzn-requestid': out.requestId ?? out.report?.requestId ?? requestId,
  };
  if (out.statusCode !== 200) {
    headers['content-length'] = 0;
    res.writeHead(out.statusCode, headers);
    res.end();
    return;
  }
  headers['x-amz-executed-version'] = out.executedVersion;
  if (out.functionError !== undefined) headers['x-amz-function-error'] = out.functionError;
  if (out.logResult !== undefined) headers['x-amz-log-result'] = out.logResult;
  headers['content-length'] = out.payload.byteLength;
  res.writeHead(200, headers);
  res.end(out.payload);
}
