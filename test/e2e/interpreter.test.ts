/**
 * Python environments run on the interpreter binary itself, not on whatever `python3` is first on
 * PATH. A version manager's shim (pyenv, asdf) is a script that works out the version on every
 * start and would be billed as Init Duration. Here a counting shim is first on PATH: lambench must
 * run it once (to ask Python for its `sys.executable`), then spawn every environment on the binary
 * it named — and say so on `invoke`'s header line and in results.json.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, readResults } from '../fixtures/run/lambench.js';
import { type ProcessRun, runNode } from '../helpers/processes.js';

const work = mkdtempSync(join(tmpdir(), 'lambench-interpreter-'));
const shimDir = join(work, 'shims');
const shimLog = join(work, 'shim.log');
let realPython = '';

beforeAll(() => {
  const found = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  realPython = found.stdout.trim();
  mkdirSync(shimDir);
  const shim = join(shimDir, 'python3');
  writeFileSync(shim, `#!/bin/sh\necho started >> '${shimLog}'\nexec '${realPython}' "$@"\n`);
  chmodSync(shim, 0o755);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function withShim(args: string[]): Promise<ProcessRun> {
  writeFileSync(shimLog, '');
  return runNode(CLI, args, {
    cwd: ROOT,
    env: { ...process.env, PATH: `${shimDir}${delimiter}${process.env.PATH ?? ''}` },
  });
}

const shimStarts = () => readFileSync(shimLog, 'utf8').split('\n').filter(Boolean).length;

describe('the Python interpreter behind a shim', () => {
  it('invoke: two environments start on the resolved binary; the shim runs once; the header names it', async () => {
    const run = await withShim([
      'invoke',
      'examples/functions/python-hello/app.handler',
      '--times',
      '2',
      '--concurrency',
      '2',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.match(/Init Duration/g)?.length).toBeGreaterThanOrEqual(1);
    expect(shimStarts()).toBe(1);
    const header = run.stderr.split('\n').find((l) => l.includes('interpreter:')) ?? '';
    expect(header).toContain(`interpreter: ${realPython} 3.`);
    expect(header).not.toContain(shimDir);
  });

  it('run: results.json names the interpreter each runtime ran on', async () => {
    const scenario = join(work, 'python.yaml');
    writeFileSync(
      scenario,
      [
        'name: python-interpreter',
        'functions:',
        '  hello:',
        `    handler: ${join(ROOT, 'examples', 'functions', 'python-hello', 'app.handler')}`,
        '    runtime: python3.12',
        'sources:',
        '  direct:',
        '    invoke: { name: ada }',
        '    to: hello',
        '    load: [{ duration: 1s, arrivalCount: 3 }]',
        'run: { grace: 5s }',
        '',
      ].join('\n'),
    );
    const out = join(work, 'out');
    const run = await withShim(['run', scenario, '--no-progress', '--output', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(shimStarts()).toBe(1);
    const target = readResults(out).run.target;
    expect(target.interpreters?.['python3.12']?.path).toBe(realPython);
    expect(target.interpreters?.['python3.12']?.version).toMatch(/^3\.\d+\.\d+$/);
  });
});
