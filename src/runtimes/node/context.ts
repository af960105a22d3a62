/**
 * The Node context object (aws-lambda's Context): identity from the environment, per-invoke fields
 * from the Lambda-Runtime-* headers; getRemainingTimeInMillis counts down to the deadline.
 */
import type { IncomingHttpHeaders } from 'node:http';

const env = process.env;
const functionName = env.AWS_LAMBDA_FUNCTION_NAME ?? '';
const functionVersion = env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST';
const memoryLimitInMB = env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128';
const logGroupName = env.AWS_LAMBDA_LOG_GROUP_NAME ?? '';
const logStreamName = env.AWS_LAMBDA_LOG_STREAM_NAME ?? '';

export interface InvokeContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity?: unknown;
  clientContext?: unknown;
  getRemainingTimeInMillis(): number;
  done(error?: unknown, result?: unknown): void;
  fail(error: unknown): void;
  succeed(result: unknown): void;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function json(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Builds the context; `settle` receives the legacy done/succeed/fail calls. */
export function makeContext(
  headers: IncomingHttpHeaders,
  settle: (error: unknown, result?: unknown) => void,
): InvokeContext {
  const deadline = Number(header(headers, 'lambda-runtime-deadline-ms'));
  const context: InvokeContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion,
    invokedFunctionArn: header(headers, 'lambda-runtime-invoked-function-arn') ?? '',
    memoryLimitInMB,
    awsRequestId: header(headers, 'lambda-runtime-aws-request-id') ?? '',
    logGroupName,
    logStreamName,
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: (error, result) => settle(error ?? null, result),
    fail: (error) => settle(error ?? 'handled'),
    succeed: (result) => settle(null, result),
  };
  const identity = json(header(headers, 'lambda-runtime-cognito-identity'));
  if (identity !== undefined) context.identity = identity;
  const clientContext = json(header(headers, 'lambda-runtime-client-context'));
  if (clientContext !== undefined) context.clientContext = clientContext;
  return context;
}
