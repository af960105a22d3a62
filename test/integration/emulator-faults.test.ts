// Every fault fixture against the real emulator: the exact error the caller sees, that the emulator
// keeps serving afterwards, and that no process is left behind (checked against this process's real
// children in /proc, not the emulator's own bookkeeping).
// Needs the compiled Node runtime client: run `npx tsc -p tsconfig.json` first.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type InvokeOutput } from '../../src/emulator/index.js';
import { alive, environmentsOf, until } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';

const HANDLERS = join(import.meta.dirname, '../fixtures/handlers');

/** The environments this process runs, from /proc (through the emulator's spawner). */
function childPids(): number[] {
  return environmentsOf(process.pid);
}

function body(out: InvokeOutput): Record<string, unknown> {
  return JSON.parse(Buffer.from(out.payload).toString());
}

let em: Emulator;
const lines: string[] = [];

interface Fault {
  handler: string;
  runtime?: string;
  codeDir?: string;
  memorySize?: number;
  timeout?: number;
  environment?: Record<string, string>;
  payload?: string;
}

/** Creates and invokes a fault function, recording the processes it started. */
async function invokeFault(name: string, fault: Fault): Promise<{ out: InvokeOutput; pids: number[] }> {
  await em.createFunction({
    functionName: name,
    codeDir: fault.codeDir ?? HANDLERS,
    handler: fault.handler,
    runtime: fault.runtime ?? 'nodejs22.x',
    memorySize: fault.memorySize ?? 512,
    timeout: fault.timeout ?? 5,
    environment: fault.environment ?? {},
  });
  const before = new Set(childPids());
  const seen = new Set<number>();
  const watch = setInterval(() => {
    for (const pid of childPids()) if (!before.has(pid)) seen.add(pid);
  }, 5);
  try {
    const out = await em.invoke({ functionName: name, payload: fault.payload ?? '{}' });
    return { out, pids: [...seen] };
  } finally {
    clearInterval(watch);
  }
}

/** The emulator still serves, and no process outlives the environment that failed. */
async function expectRecovered(pids: number[]): Promise<void> {
  await until(() => pids.every((pid) => !alive(pid)));
  const ok = await em.invoke({ functionName: 'healthy', payload: '{"echo":"still here"}' });
  expect(ok.statusCode).toBe(200);
  expect(body(ok)).toMatchObject({ echo: 'still here' });
  // The emulator hears of an exit from its spawner a moment after /proc shows it: wait for both
  // views to agree (a leaked or forgotten process never lets them), then compare.
  const same = () => childPids().sort().join() === em.environmentPids().sort().join();
  await until(same, 5_000).catch(() => undefined);
  expect(childPids().sort()).toEqual(em.environmentPids().sort());
}

beforeAll(async () => {
  em = await createEmulator({ cpuLimiter: 'off', onLog: (_fn, line) => lines.push(line) });
  await em.createFunction({
    functionName: 'healthy',
    codeDir: HANDLERS,
    handler: 'knobs.handler',
    runtime: 'nodejs22.x',
  });
});

afterAll(async () => {
  await em.close();
  expect(childPids()).toEqual([]);
});

describe('function errors that keep the environment', () => {
  it('a thrown error comes back as {errorType, errorMessage, trace} and the environment stays warm', async () => {
    const { out, pids } = await invokeFault('throws', { handler: 'throws.handler' });
    expect(out.functionError).toBe('Unhandled');
    expect(out.errorType).toBe('ValidationError');
    const err = body(out);
    expect(err).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad order id' });
    expect((err.trace as string[])[0]).toBe('ValidationError: bad order id');
    const again = await em.invoke({ functionName: 'throws', payload: '{}' });
    expect(again.cold).toBe(false);
    expect(pids.every(alive)).toBe(true);
  });

  it('a 7 MB response is Function.ResponseSizeTooLarge and the environment keeps serving', async () => {
    const { out } = await invokeFault('big', { handler: 'big-response.handler' });
    expect(out.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(body(out)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
    const small = await em.invoke({ functionName: 'big', payload: '{"mb":1}' });
    expect(small.functionError).toBeUndefined();
    expect(small.cold).toBe(false);
    expect(small.payload.length).toBe(1024 * 1024 + 2);
  });

  it('megabytes of logs all reach onLog, and Tail holds only the last 4 KB', async () => {
    lines.length = 0;
    await em.createFunction({
      functionName: 'flood',
      codeDir: HANDLERS,
      handler: 'log-flood.handler',
      runtime: 'nodejs22.x',
      memorySize: 512,
    });
    const out = await em.invoke({ functionName: 'flood', payload: '{"mb":4}', logType: 'Tail' });
    expect(body(out)).toEqual({ lines: 4096 });
    const id = out.report?.requestId ?? '';
    const fromFunction = lines.filter((l) => l.includes(`\t${id}\tINFO\t`));
    expect(fromFunction).toHaveLength(4096);
    expect(fromFunction[4095]).toMatch(/\tINFO\t4095 x{1000}$/);
    const tail = Buffer.from(out.logResult ?? '', 'base64');
    expect(tail.length).toBe(4096);
    expect(tail.toString()).toMatch(new RegExp(`END RequestId: ${id}\\nREPORT RequestId: ${id}\\t.*\\n$`));
  });
});

describe('crashes end the environment', () => {
  it('process.exit is Runtime.ExitError with the exit status', async () => {
    const { out, pids } = await invokeFault('exits', { handler: 'exits.handler' });
    expect(body(out)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${out.report?.requestId} Error: Runtime exited with error: exit status 3`,
    });
    await expectRecovered(pids);
    expect((await em.invoke({ functionName: 'exits', payload: '{"code":0}' })).cold).toBe(true);
  });

  it('a segfault is Runtime.ExitError with the signal', async () => {
    const { out, pids } = await invokeFault('segv', { handler: 'segfault.handler' });
    expect(out.errorType).toBe('Runtime.ExitError');
    expect(body(out).errorMessage).toBe(
      `RequestId: ${out.report?.requestId} Error: Runtime exited with error: signal: segmentation fault`,
    );
    await expectRecovered(pids);
  });

  it('an uncaught exception is reported against the invoke, then the runtime exits', async () => {
    const { out, pids } = await invokeFault('uncaught', { handler: 'uncaught.handler' });
    expect(body(out)).toMatchObject({ errorType: 'TypeError', errorMessage: 'thrown from a timer' });
    await expectRecovered(pids);
  });
});

describe('limits', () => {
  it('a hung handler times out with Sandbox.Timedout, and the next invoke is cold', async () => {
    const { out, pids } = await invokeFault('hangs', { handler: 'hangs.handler', timeout: 1 });
    expect(out.functionError).toBe('Unhandled');
    expect(body(out)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${out.report?.requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(out.report?.durationMs).toBeGreaterThanOrEqual(990);
    await expectRecovered(pids);
    expect((await em.invoke({ functionName: 'hangs', payload: '{}' })).cold).toBe(true);
  });

  it('a CPU loop is stopped at the deadline too', async () => {
    const { out, pids } = await invokeFault('spin', { handler: 'cpu-loop.handler', timeout: 1 });
    expect(out.errorType).toBe('Sandbox.Timedout');
    await expectRecovered(pids);
  });

  it('memory past the setting kills the environment with Runtime.OutOfMemory', async () => {
    const { out, pids } = await invokeFault('hog', {
      handler: 'memory-hog.handler',
      memorySize: 128,
      timeout: 30,
    });
    expect(body(out)).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${out.report?.requestId} Error: Runtime exited with error: signal: killed`,
    });
    expect(out.report?.maxMemoryUsedMB).toBe(128);
    await expectRecovered(pids);
  });

  it('a V8 heap that outgrows the memory setting is Runtime.OutOfMemory as well', async () => {
    const { out, pids } = await invokeFault('heap', {
      handler: 'heap-hog.handler',
      memorySize: 128,
      timeout: 30,
    });
    expect(out.errorType).toBe('Runtime.OutOfMemory');
    await expectRecovered(pids);
  });
});

describe('init failures', () => {
  it('a syntax error is Runtime.UserCodeSyntaxError', async () => {
    // Written at test time: a broken file in the repository would break the linter.
    const codeDir = tempDir('lambench-syntax-');
    writeFileSync(join(codeDir, 'syntax-error.js'), 'exports.handler = async () => {\n  return {;\n};\n');
    const { out, pids } = await invokeFault('syntax', { handler: 'syntax-error.handler', codeDir });
    expect(out.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(body(out)).toMatchObject({
      errorType: 'Runtime.UserCodeSyntaxError',
      errorMessage: "SyntaxError: Unexpected token ';'",
    });
    expect(out.cold).toBe(true);
    expect(out.report?.initDurationMs).toBeGreaterThan(0);
    await expectRecovered(pids);
  });

  it('a missing export is Runtime.HandlerNotFound', async () => {
    const { out, pids } = await invokeFault('noexport', { handler: 'no-export.handler' });
    expect(body(out)).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'no-export.handler is undefined or not exported',
    });
    await expectRecovered(pids);
  });

  it('a missing dependency is Runtime.ImportModuleError', async () => {
    const { out, pids } = await invokeFault('missingdep', { handler: 'missing-dep.handler' });
    expect(out.errorType).toBe('Runtime.ImportModuleError');
    expect(String(body(out).errorMessage)).toMatch(
      /^Error: Cannot find module 'this-package-does-not-exist'/,
    );
    await expectRecovered(pids);
  });

  it('an error thrown while the module loads is the init error', async () => {
    const { out, pids } = await invokeFault('initcrash', {
      handler: 'knobs.handler',
      environment: { CRASH_IN_INIT: '1' },
    });
    expect(body(out)).toMatchObject({ errorType: 'Error', errorMessage: 'crash during init' });
    await expectRecovered(pids);
  });

  it('a runtime that never calls /next is stopped at the 10 s init limit', async () => {
    const { out, pids } = await invokeFault('nonext', {
      handler: 'unused',
      runtime: 'provided.al2023',
      codeDir: join(HANDLERS, 'never-next'),
      timeout: 1,
    });
    expect(body(out)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${out.report?.requestId} Error: Task timed out after 10.00 seconds`,
    });
    expect(out.report?.initDurationMs).toBeGreaterThanOrEqual(9900);
    await expectRecovered(pids);
  });

  it("a python handler that raises gets Python's error shape with stackTrace", async () => {
    const { out, pids } = await invokeFault('pyraise', {
      handler: 'raises.handler',
      runtime: 'python3.12',
      codeDir: join(HANDLERS, 'python'),
      payload: '{"id": 42}',
      timeout: 30,
    });
    const err = body(out);
    expect(err).toMatchObject({
      errorType: 'OrderError',
      errorMessage: 'order 42 not found',
      requestId: out.report?.requestId,
    });
    expect((err.stackTrace as string[]).join('')).toContain('raises.py", line 9, in handler');
    expect((err.stackTrace as string[]).join('')).not.toContain('bootstrap.py');
    // Python errors keep the environment, like Node's.
    expect(pids.every(alive)).toBe(true);
  });
});
