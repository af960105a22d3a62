/**
 * Error bodies in the shape the Node runtime posts: {errorType, errorMessage, trace}. A thrown Error
 * gives its name, message and stack lines; a thrown non-Error gives its typeof and String().
 */

export interface ErrorBody {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export function errorBody(err: unknown, errorType?: string): ErrorBody {
  if (err instanceof Error) {
    return {
      errorType: errorType ?? err.name,
      errorMessage: err.message,
      trace: err.stack ? err.stack.split('\n') : [],
    };
  }
  return { errorType: errorType ?? typeof err, errorMessage: String(err), trace: [] };
}

/** An init failure with Lambda's Runtime.* type (ImportModuleError, HandlerNotFound, UserCodeSyntaxError). */
export class InitError extends Error {
  readonly errorType: string;
  constructor(errorType: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.errorType = errorType;
    this.name = errorType;
    if (cause instanceof Error && cause.stack) this.stack = cause.stack;
  }
}
