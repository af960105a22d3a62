/**
 * All process-global state a command touches — output streams, environment, working directory,
 * signals — in one object created at the entry point and passed in, so commands can be run
 * in-process by tests and nothing below the CLI reaches the process directly.
 */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Registers a handler for SIGINT/SIGTERM; returns an unregister function. */
  onSignal(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void;
}

export function processIo(): Io {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    onSignal(handler) {
      const onInt = () => handler('SIGINT');
      const onTerm = () => handler('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
  };
}

/**
 * A reader that went away (`lambench events … | head -1`) is not an error: the write that finds
 * the pipe closed fails with EPIPE, later writes with ERR_STREAM_DESTROYED, and Node would end
 * the process with a stack trace. Both are swallowed; the stream stops being `writable`, which
 * is what commands that print in a loop check to stop early (`outputClosed`).
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    // Anything else on a standard stream (a full disk behind a redirect): nowhere left to report it.
    process.exitCode = 3;
  });
}

/** True once the reader of `stream` has gone away: printing more is wasted work. */
export function outputClosed(stream: NodeJS.WritableStream): boolean {
  return !stream.writable;
}

/** Writes one line to a stream. */
export function println(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
