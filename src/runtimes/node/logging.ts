/**
 * console.* in Lambda's text format: `<ISO timestamp>\t<request id>\t<LEVEL>\t<message>`. During init
 * the request id is `undefined`, as on Lambda. Writes go to stdout, which is synchronous for pipes on
 * Linux, so a line is in the pipe before the runtime posts its response.
 */
import { format } from 'node:util';

let requestId = 'undefined';

export function setRequestId(id: string | undefined): void {
  requestId = id ?? 'undefined';
}

export function writeLine(level: string, message: string): void {
  process.stdout.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${message}\n`);
}

export function patchConsole(): void {
  const make =
    (level: string) =>
    (...args: unknown[]): void =>
      writeLine(level, format(...args));
  console.log = make('INFO');
  console.info = make('INFO');
  console.warn = make('WARN');
  console.error = make('ERROR');
  console.debug = make('DEBUG');
  console.trace = make('TRACE');
}

/**
 * Waits until buffered stdout/stderr has reached the pipe, so all of an invoke's output is with the
 * platform before its result (stdout to a pipe is asynchronous in Node). Free when nothing is queued.
 */
export function flushOutput(): Promise<void> | undefined {
  const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0);
  if (pending.length === 0) return undefined;
  return Promise.all(pending.map((s) => new Promise<void>((resolve) => s.write('', () => resolve())))).then(
    () => undefined,
  );
}
