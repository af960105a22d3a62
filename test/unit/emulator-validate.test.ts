import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type InputError, InputErrors } from '../../src/core/errors.js';
import type { CreateFunctionInput } from '../../src/emulator/types.js';
import { splitHandler, validateFunctionInput } from '../../src/emulator/validate.js';
import { caughtInputError } from '../helpers/input-error.js';
import { tempDir } from '../helpers/temp-dir.js';

const HANDLERS = join(import.meta.dirname, '../fixtures/handlers');

function inputError(input: CreateFunctionInput): InputError {
  return caughtInputError(() => validateFunctionInput(input));
}

const base: CreateFunctionInput = {
  functionName: 'f',
  codeDir: HANDLERS,
  handler: 'knobs.handler',
  runtime: 'nodejs22.x',
};

describe('validateFunctionInput', () => {
  it('accepts handlers in every supported layout', () => {
    for (const handler of ['knobs.handler', 'esm.handler', 'cjs.api.handler', 'nested/deep/handler.main']) {
      expect(() => validateFunctionInput({ ...base, handler })).not.toThrow();
    }
    expect(() =>
      validateFunctionInput({
        ...base,
        codeDir: join(HANDLERS, 'python'),
        handler: 'raises.handler',
        runtime: 'python3.12',
      }),
    ).not.toThrow();
  });

  it('names the field and what was expected, with exit code 2', () => {
    const err = inputError({ ...base, handler: 'missing.handler' });
    expect(err.exitCode).toBe(2);
    expect(err.toLine()).toBe(
      `${HANDLERS}: handler: handler file for 'missing.handler' not found (looked for missing.js, missing.mjs, missing.cjs)`,
    );
    expect(inputError({ ...base, memorySize: 64 }).toLine()).toContain(
      'memorySize: 64 MB is out of range; expected an integer 128–10240',
    );
    expect(inputError({ ...base, timeout: 901 }).code).toBe('TIMEOUT_OUT_OF_RANGE');
    expect(inputError({ ...base, runtime: 'nodejs22' }).toLine()).toContain(
      "unknown runtime 'nodejs22' (did you mean nodejs22.x?)",
    );
    expect(inputError({ ...base, environment: { AWS_REGION: 'x' } }).toLine()).toContain(
      'environment.AWS_REGION: is reserved',
    );
    expect(inputError({ ...base, codeDir: '/does/not/exist' }).code).toBe('CODE_DIR_NOT_FOUND');
  });

  it('reports several problems at once', () => {
    const err = inputError({ ...base, memorySize: 1, timeout: 0 });
    expect(err).toBeInstanceOf(InputErrors);
    expect((err as InputErrors).errors.map((e) => e.code)).toEqual([
      'MEMORY_OUT_OF_RANGE',
      'TIMEOUT_OUT_OF_RANGE',
    ]);
  });

  it('needs an executable bootstrap for custom runtimes', () => {
    const dir = tempDir('lambench-bootstrap-');
    const provided = { ...base, codeDir: dir, runtime: 'provided.al2023', handler: 'x' };
    expect(inputError(provided).code).toBe('BOOTSTRAP_NOT_FOUND');
    writeFileSync(join(dir, 'bootstrap'), '#!/bin/sh\n', { mode: 0o644 });
    expect(inputError(provided).code).toBe('BOOTSTRAP_NOT_EXECUTABLE');
    expect(() => validateFunctionInput({ ...provided, codeDir: join(HANDLERS, 'never-next') })).not.toThrow();
  });
});

describe('splitHandler', () => {
  it('splits at the first dot of the last path segment', () => {
    expect(splitHandler('dir/sub.v2/file.fn.nested')).toEqual({
      modulePath: 'dir/sub.v2/file',
      exportPath: 'fn.nested',
    });
    expect(splitHandler('index')).toBeUndefined();
    expect(splitHandler('index.')).toBeUndefined();
  });
});
