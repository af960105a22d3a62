import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const checkFile = fileURLToPath(new URL('./aws-types.check.ts', import.meta.url));
const badFile = fileURLToPath(new URL('./aws-types.bad.virtual.ts', import.meta.url));
const BAD = `import type { SQSEvent } from 'aws-lambda';
import { kinesisGenerator } from '../../../src/events/kinesis.js';
export const wrong: SQSEvent = kinesisGenerator.generate('record', {}, { seed: 1, index: 0 });
`;

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** Type-checks files with a host that also serves one in-memory file (the negative control). */
function diagnostics(files: string[]): string[] {
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f === badFile || fileExists.call(host, f);
  host.readFile = (f) => (f === badFile ? BAD : readFile.call(host, f));
  host.getSourceFile = (f, v, ...rest) =>
    f === badFile ? ts.createSourceFile(f, BAD, v) : getSourceFile.call(host, f, v, ...rest);
  const program = ts.createProgram(files, options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.includes(d.file.fileName))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('generated events against @types/aws-lambda', () => {
  it('compiles the assignments of every typed source', () => {
    expect(diagnostics([checkFile])).toEqual([]);
  });

  it('fails to compile a wrong assignment (the check can fail)', () => {
    const errors = diagnostics([badFile]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(/not assignable/);
  });
});
