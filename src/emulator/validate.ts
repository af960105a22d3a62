/**
 * Checks a function definition before anything runs: everything that can be known without starting
 * the code (name, runtime, ranges, the handler file, the custom-runtime bootstrap). Problems found
 * only at init (a syntax error, a missing export) surface later as Lambda's Runtime.* init errors.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { InputError, InputErrors } from '../core/errors.js';
import { KNOWN_RUNTIMES, runtimeInfo } from './runtimes.js';
import type { CreateFunctionInput } from './types.js';

/** Lambda's ranges: MemorySize 128–10,240 MB, Timeout 1–900 s. */
export const MEMORY_RANGE = { min: 128, max: 10_240 } as const;
export const TIMEOUT_RANGE = { min: 1, max: 900 } as const;

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ENV_KEY = /^[a-zA-Z][a-zA-Z0-9_]*$/;
/** Variables the platform sets; Lambda rejects functions that try to set them. */
const RESERVED_ENV = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

export const NODE_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

type Problem = [code: string, field: string, message: string];

/**
 * Throws an InputError (exit code 2) naming the field and what was expected, or InputErrors when
 * there are several problems. Example: `validateFunctionInput({functionName: 'f', codeDir, handler:
 * 'index.handler', runtime: 'nodejs22.x'})`.
 */
export function validateFunctionInput(input: CreateFunctionInput): void {
  const problems = [...checkScalars(input), ...checkCode(input)];
  const errors = problems.map(
    ([code, field, message]) =>
      new InputError(code, message, { position: { file: input.codeDir || '.', field } }),
  );
  if (errors.length === 1 && errors[0]) throw errors[0];
  if (errors.length > 1) throw new InputErrors(errors);
}

function checkScalars(input: CreateFunctionInput): Problem[] {
  const out: Problem[] = [];
  if (!NAME.test(input.functionName)) {
    out.push([
      'INVALID_FUNCTION_NAME',
      'functionName',
      `'${input.functionName}' must be 1–64 of a-z A-Z 0-9 - _`,
    ]);
  }
  if (!runtimeInfo(input.runtime)) {
    const hint = closest(String(input.runtime), [...KNOWN_RUNTIMES]);
    out.push([
      'UNKNOWN_RUNTIME',
      'runtime',
      `unknown runtime '${input.runtime}' (did you mean ${hint}?); expected one of ${KNOWN_RUNTIMES.join(', ')}`,
    ]);
  }
  const { memorySize, timeout, reservedConcurrency } = input;
  if (memorySize !== undefined && !inRange(memorySize, MEMORY_RANGE)) {
    out.push([
      'MEMORY_OUT_OF_RANGE',
      'memorySize',
      `${memorySize} MB is out of range; expected an integer 128–10240`,
    ]);
  }
  if (timeout !== undefined && !inRange(timeout, TIMEOUT_RANGE)) {
    out.push(['TIMEOUT_OUT_OF_RANGE', 'timeout', `${timeout} s is out of range; expected an integer 1–900`]);
  }
  if (
    reservedConcurrency !== undefined &&
    !(Number.isInteger(reservedConcurrency) && reservedConcurrency >= 0)
  ) {
    out.push(['INVALID_CONCURRENCY', 'reservedConcurrency', `${reservedConcurrency} must be an integer ≥ 0`]);
  }
  for (const key of Object.keys(input.environment ?? {})) {
    if (!ENV_KEY.test(key)) out.push(['INVALID_ENV', `environment.${key}`, 'expected a name like MY_VAR']);
    else if (RESERVED_ENV.has(key)) out.push(['RESERVED_ENV', `environment.${key}`, 'is reserved by Lambda']);
  }
  return out;
}

function inRange(n: number, r: { min: number; max: number }): boolean {
  return Number.isInteger(n) && n >= r.min && n <= r.max;
}

function checkCode(input: CreateFunctionInput): Problem[] {
  const { codeDir, handler } = input;
  if (!codeDir || !existsSync(codeDir) || !statSync(codeDir).isDirectory()) {
    return [['CODE_DIR_NOT_FOUND', 'codeDir', `code directory '${codeDir}' does not exist`]];
  }
  const info = runtimeInfo(input.runtime);
  if (!info) return [];
  if (info.family === 'provided') return checkBootstrap(codeDir);
  const parsed = splitHandler(handler);
  if (!parsed) {
    return [
      [
        'INVALID_HANDLER',
        'handler',
        `'${handler}' is not a handler; expected file.function, e.g. index.handler`,
      ],
    ];
  }
  const extensions = info.family === 'node' ? NODE_EXTENSIONS : (['.py'] as const);
  if (!extensions.some((ext) => existsSync(join(codeDir, parsed.modulePath + ext)))) {
    const looked = extensions.map((ext) => parsed.modulePath + ext).join(', ');
    return [
      ['HANDLER_NOT_FOUND', 'handler', `handler file for '${handler}' not found (looked for ${looked})`],
    ];
  }
  return [];
}

function checkBootstrap(codeDir: string): Problem[] {
  const path = join(codeDir, 'bootstrap');
  if (!existsSync(path))
    return [['BOOTSTRAP_NOT_FOUND', 'codeDir', 'a custom runtime needs a bootstrap file']];
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return [['BOOTSTRAP_NOT_EXECUTABLE', 'codeDir', 'bootstrap is not executable (chmod +x bootstrap)']];
  }
  return [];
}

/**
 * Lambda's handler string: `dir/sub/file.fn` — the module is everything up to the first dot of the
 * last path segment, the rest is the (possibly nested, `a.b`) export.
 */
export function splitHandler(handler: string): { modulePath: string; exportPath: string } | undefined {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1 || dot === handler.length - 1) return undefined;
  return { modulePath: handler.slice(0, dot), exportPath: handler.slice(dot + 1) };
}
