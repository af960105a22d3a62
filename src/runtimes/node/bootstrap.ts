/**
 * lambench's Node.js runtime client: loads the handler (init), then loops on the Runtime API —
 * GET /next, run the handler with the event and context, POST /response or /error — until the
 * platform stops the process. Async and callback handlers are both supported.
 */
import { makeContext } from './context.js';
import { errorBody, InitError } from './errors.js';
import { type Handler, loadHandler } from './handler-loader.js';
import { flushOutput, patchConsole, setRequestId, writeLine } from './logging.js';
import { type NextEvent, nextInvocation, postError, postInitError, postResponse } from './runtime-client.js';

let currentRequestId: string | undefined;

async function main(): Promise<void> {
  patchConsole();
  installCrashHandlers();
  let handler: Handler;
  try {
    handler = await loadHandler(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), process.env._HANDLER ?? '');
  } catch (err) {
    const body = errorBody(err, err instanceof InitError ? err.errorType : undefined);
    writeLine('ERROR', `Uncaught Exception \t${JSON.stringify(body)}`);
    await postInitError(JSON.stringify(body), body.errorType).catch(() => undefined);
    process.exit(129);
  }
  const callbackStyle = handler.length >= 3;
  if (callbackStyle && process.env.AWS_EXECUTION_ENV === 'AWS_Lambda_nodejs24.x') {
    writeLine(
      'WARN',
      'Callback-based function handlers are not supported in Node.js 24 (Runtime.CallbackHandlerDeprecated): ' +
        'this function runs here but fails to initialise on AWS Lambda. Use an async handler.',
    );
  }
  for (;;) {
    const next = await nextInvocation();
    await runInvoke(handler, callbackStyle, next);
  }
}

async function runInvoke(handler: Handler, callbackStyle: boolean, next: NextEvent): Promise<void> {
  const requestId = String(next.headers['lambda-runtime-aws-request-id'] ?? '');
  const trace = next.headers['lambda-runtime-trace-id'];
  if (typeof trace === 'string') process.env._X_AMZN_TRACE_ID = trace;
  else delete process.env._X_AMZN_TRACE_ID;
  currentRequestId = requestId;
  setRequestId(requestId);
  let body: string;
  try {
    const event: unknown = next.body === '' ? {} : JSON.parse(next.body);
    const result = await callHandler(handler, callbackStyle, event, next);
    body = JSON.stringify(result === undefined ? null : result) ?? 'null';
  } catch (err) {
    const error = errorBody(err);
    writeLine('ERROR', `Invoke Error \t${JSON.stringify(error)}`);
    currentRequestId = undefined;
    await flushOutput();
    postError(requestId, JSON.stringify(error), error.errorType).catch(lostPlatform);
    return;
  }
  currentRequestId = undefined;
  await flushOutput();
  // Not awaited: the loop asks for the next event while the 202 travels back.
  postResponse(requestId, body).catch(lostPlatform);
}

function lostPlatform(err: unknown): never {
  writeLine('ERROR', `Runtime API unreachable: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

function callHandler(
  handler: Handler,
  callbackStyle: boolean,
  event: unknown,
  next: NextEvent,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, result?: unknown): void => {
      if (settled) return;
      settled = true;
      if (error !== null && error !== undefined) reject(error);
      else resolve(result);
    };
    const context = makeContext(next.headers, settle);
    const returned = callbackStyle ? handler(event, context, settle) : handler(event, context);
    if (
      returned !== null &&
      typeof returned === 'object' &&
      typeof (returned as Promise<unknown>).then === 'function'
    ) {
      (returned as Promise<unknown>).then(
        (r) => settle(null, r),
        (e: unknown) => settle(e ?? new Error('rejected')),
      );
    } else if (!callbackStyle) {
      settle(null, returned);
    }
  });
}

/** Uncaught errors end the environment as on Lambda: report against the invoke in flight, then exit. */
function installCrashHandlers(): void {
  const crash = (err: unknown, errorType?: string): void => {
    const body = errorBody(err, errorType);
    writeLine('ERROR', `Uncaught Exception \t${JSON.stringify(body)}`);
    const id = currentRequestId;
    const post = id
      ? postError(id, JSON.stringify(body), body.errorType)
      : postInitError(JSON.stringify(body), body.errorType);
    post.catch(() => undefined).finally(() => process.exit(129));
  };
  process.on('uncaughtException', (err) => crash(err));
  process.on('unhandledRejection', (reason) => crash(reason, 'Runtime.UnhandledPromiseRejection'));
}

main().catch((err: unknown) => {
  // The Runtime API went away (the emulator closed): nothing to report to.
  writeLine('ERROR', `Runtime client stopped: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
