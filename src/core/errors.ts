/**
 * Errors users can act on. Every error the CLI prints is a LambenchError: a stable `code`, a
 * one-line message that says what is wrong and what was expected, and the process exit code.
 *
 * Exit codes (documented in the README):
 *   1  thresholds or a baseline comparison failed
 *   2  bad input: scenario, event file, CLI flag, handler, port in use
 *   3  the harness itself failed at run time
 */
export const ExitCode = {
  Ok: 0,
  ThresholdFailed: 1,
  BadInput: 2,
  Internal: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where in a file a problem was found; line and column are 1-based. */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
  /** Field path such as `sources.uploads.load[0].arrivalRate`. */
  field?: string;
}

export class LambenchError extends Error {
  override name = 'LambenchError';
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly position: SourcePosition | undefined;

  constructor(
    code: string,
    message: string,
    options: { exitCode?: ExitCode; position?: SourcePosition; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.Internal;
    this.position = options.position;
  }

  /** The one line the CLI prints: `file:line:col: field: message` with the parts that are known. */
  toLine(): string {
    const p = this.position;
    if (!p) return this.message;
    const where = [p.file, p.line, p.line !== undefined ? p.column : undefined]
      .filter((x) => x !== undefined)
      .join(':');
    return p.field ? `${where}: ${p.field}: ${this.message}` : `${where}: ${this.message}`;
  }

  /** The plain shape used when an error crosses a process boundary. */
  toJSON(): { code: string; message: string; data?: SourcePosition } {
    return this.position
      ? { code: this.code, message: this.message, data: this.position }
      : { code: this.code, message: this.message };
  }
}

/** Bad input from the user: exit code 2. */
export class InputError extends LambenchError {
  override name = 'InputError';
  constructor(code: string, message: string, options: { position?: SourcePosition; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: ExitCode.BadInput });
  }
}

/** Several input problems reported at once (scenario validation): exit code 2. */
export class InputErrors extends InputError {
  override name = 'InputErrors';
  readonly errors: readonly InputError[];
  constructor(errors: readonly InputError[]) {
    super(errors[0]?.code ?? 'INVALID_INPUT', `${errors.length} problem(s) found`);
    this.errors = errors;
  }
  override toLine(): string {
    return this.errors.map((e) => e.toLine()).join('\n');
  }
}
