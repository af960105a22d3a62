/**
 * Function errors the platform itself produces (not the runtime's /error posts), with the
 * errorType and message text Lambda uses: `RequestId: <id> Error: Runtime exited with error: …`.
 */

/** A failed invoke as the caller sees it: errorType plus the JSON body that becomes the payload. */
export interface FunctionFailure {
  errorType: string;
  /** Set for failures the platform produced (for its log line). */
  errorMessage?: string;
  payload: Buffer;
}

export function failure(errorType: string, errorMessage: string): FunctionFailure {
  return { errorType, errorMessage, payload: Buffer.from(JSON.stringify({ errorType, errorMessage })) };
}

function prefix(requestId: string | undefined): string {
  return requestId ? `RequestId: ${requestId} Error: ` : 'Error: ';
}

/** Go's names for signals, which Lambda's messages use (`signal: killed`). */
const SIGNAL_TEXT: Record<string, string> = {
  SIGKILL: 'killed',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
  SIGINT: 'interrupt',
};

export function exitReason(code: number | null, signal: string | null): string {
  if (signal) return `Runtime exited with error: signal: ${SIGNAL_TEXT[signal] ?? signal}`;
  if (code === 0 || code === null) return 'Runtime exited without providing a reason';
  return `Runtime exited with error: exit status ${code}`;
}

export function exitError(
  requestId: string | undefined,
  code: number | null,
  signal: string | null,
): FunctionFailure {
  return failure('Runtime.ExitError', prefix(requestId) + exitReason(code, signal));
}

export function outOfMemory(
  requestId: string | undefined,
  code: number | null,
  signal: string | null,
): FunctionFailure {
  return failure('Runtime.OutOfMemory', prefix(requestId) + exitReason(code, signal));
}

/** Lambda's timeout body; the seconds are the configured timeout with two decimals. */
export function timedOut(requestId: string, timeoutS: number): FunctionFailure {
  return failure(
    'Sandbox.Timedout',
    `${prefix(requestId)}Task timed out after ${timeoutS.toFixed(2)} seconds`,
  );
}

export function invalidEntrypoint(requestId: string | undefined, detail: string): FunctionFailure {
  return failure('Runtime.InvalidEntrypoint', prefix(requestId) + detail);
}

export function responseTooLarge(limit: number): FunctionFailure {
  return failure(
    'Function.ResponseSizeTooLarge',
    `Response payload size exceeded maximum allowed payload size (${limit} bytes).`,
  );
}

/**
 * The errorType of a runtime's /error post: the body's errorType when it has one, else the
 * Lambda-Runtime-Function-Error-Type header normalised as RIE does (`Runtime.Unknown` otherwise).
 */
export function postedErrorType(body: Buffer, header: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(body.toString());
    if (
      parsed &&
      typeof parsed === 'object' &&
      'errorType' in parsed &&
      typeof parsed.errorType === 'string'
    ) {
      return parsed.errorType;
    }
  } catch {
    // Not JSON: fall back to the header.
  }
  if (header && /^(Runtime|Function)\.[A-Z][a-zA-Z]+$/.test(header)) return header;
  return header?.startsWith('Function.') ? 'Function.Unknown' : 'Runtime.Unknown';
}
