/**
 * `lambench invoke` as a user runs it: the built CLI in a child process, judged by stdout, stderr
 * and the exit code. Needs the build (`npx tsc -p tsconfig.json`).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ProcessRun, runNode } from '../helpers/processes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const SAM = join(ROOT, 'test', 'fixtures', 'sam');

function lambench(args: string[], stdin = ''): Promise<ProcessRun> {
  return runNode(CLI, args, { cwd: SAM, stdin });
}

/** A bad-input run: exit 2 and exactly one `lambench:` line, no stack trace. */
function expectOneLine(run: ProcessRun, pattern: RegExp): void {
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('lambench: ') && !l.startsWith('lambench: note'))).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('lambench invoke', () => {
  it('prints the payload to stdout and logs with START/END/REPORT to stderr', async () => {
    // Act
    const run = await lambench(
      ['invoke', 'functions/echo.handler', '--event', '-', '--memory', '1024'],
      '{"log":"hi"}',
    );
    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ echo: { log: 'hi' }, memory: '1024', version: '$LATEST' });
    expect(run.stderr).toMatch(/^START RequestId: \S+ Version: \$LATEST$/m);
    expect(run.stderr).toMatch(/\tINFO\thi$/m);
    expect(run.stderr).toMatch(/^END RequestId: /m);
    expect(run.stderr).toMatch(
      /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB/m,
    );
    expect(run.stderr).toMatch(/cpu limiter: (cgroup-v2|cgroup-v1|duty-cycle|off)/);
    // Once each, END before REPORT: the log stream's lines, not a second copy of the REPORT.
    const platform = run.stderr.split('\n').filter((l) => /^(START|END|REPORT) /.test(l));
    expect(platform.map((l) => l.split(' ')[0])).toEqual(['START', 'END', 'REPORT']);
  });

  it('exits 1 and prints the error JSON when the function throws', async () => {
    const run = await lambench(
      ['invoke', 'functions/echo.handler', '--event', '-', '-m', '1024'],
      '{"fail":"on purpose"}',
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      errorType: 'Error',
      errorMessage: 'asked to fail: on purpose',
    });
  });

  it('runs a template function by name with the template’s settings and --env overrides', async () => {
    const run = await lambench(['invoke', 'echo', '--template', 'template.yaml', '--env', 'GREETING=hey']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ memory: '256', greeting: 'hey' });
  });

  it('infers a Python runtime from a .py handler file', async () => {
    const run = await lambench(['invoke', 'functions/hello.handler', '--memory', '512']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      python: expect.stringMatching(/^3\.\d+$/),
      memory: '512',
    });
    expect(run.stderr).toMatch(/hello \(python3\.\d+, 512 MB\)/);
    expect(run.stderr).toMatch(/hello from python/);
  });

  it('summarises cold and warm latency after --times', async () => {
    const run = await lambench(['invoke', 'functions/trivial.handler', '-n', '6', '-c', '2', '-m', '1024']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/6 invokes, 0 failed/);
    const cold = /^cold\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+$/m.exec(run.stderr);
    const warm = /^warm\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+-$/m.exec(run.stderr);
    expect(cold).not.toBeNull();
    expect(warm).not.toBeNull();
    expect(Number(cold?.[1]) + Number(warm?.[1])).toBe(6);
    expect(Number(cold?.[1])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(run.stdout)).toEqual({ ok: true });
  });

  it.each([
    [['functions/nope.handler'], /handler file .*nope\.\{js,mjs,cjs,py\} not found/],
    [['functions/echo.missing'], /echo\.missing is undefined or not exported/],
    [['functions/echo.handler', '--runtime', 'nodejs99.x'], /unknown runtime 'nodejs99.x'/],
    [['functions/echo.handler', '--memory', '64'], /--memory: 64 MB is out of range/],
    [['functions/echo.handler', '--timeout', '20min'], /--timeout: '20min' is not a timeout/],
    [['functions/echo.handler', '--event', 'template.yaml'], /template\.yaml: event is not JSON/],
    [['functions/echo.handler', '--event', 'missing.json'], /missing\.json: cannot read event file/],
  ])('rejects bad input %j with one line and exit 2', async (args, pattern) => {
    expectOneLine(await lambench(['invoke', ...args]), pattern);
  });
});
