/**
 * The local Target against the real emulator, cross-checked through the HTTP API: the qualifiers
 * prepare() returns must be what an SDK client sees (an alias per setting, on a version with that
 * configuration), and invoke() must classify every outcome. Needs the build for the runtime client.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApi, startHttpApi } from '../../src/emulator/http-server.js';
import { createEmulator } from '../../src/emulator/index.js';
import { aliasForSetting, createLocalTarget } from '../../src/targets/local.js';
import type { FunctionDefinition, Target } from '../../src/targets/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAM_FUNCTIONS = join(ROOT, 'test', 'fixtures', 'sam', 'functions');
const HANDLERS = join(ROOT, 'test', 'fixtures', 'handlers');

const echo: FunctionDefinition = {
  name: 'target-echo',
  handler: 'echo.handler',
  codeDir: SAM_FUNCTIONS,
  runtime: 'nodejs20.x',
  timeoutS: 1,
  environment: { GREETING: 'from-target' },
};

const text = (payload: Uint8Array) => Buffer.from(payload).toString('utf8');

describe('aliasForSetting', () => {
  it('names an alias for every part of the setting, never all digits', () => {
    expect(aliasForSetting({ memoryMB: 256 })).toBe('mem-256');
    expect(aliasForSetting({ memoryMB: 1024, timeoutS: 30 })).toBe('mem-1024-t30');
    const a = aliasForSetting({ memoryMB: 512, environment: { A: '1', B: '2' } });
    const b = aliasForSetting({ memoryMB: 512, environment: { B: '2', A: '1' } });
    const c = aliasForSetting({ memoryMB: 512, environment: { A: '2' } });
    expect(a).toMatch(/^mem-512-e[0-9a-f]{8}$/);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe('local target', () => {
  let target: Target;
  let http: HttpApi;
  let lambda: LambdaClient;

  beforeAll(async () => {
    const api = await createEmulator();
    target = createLocalTarget({ api });
    http = await startHttpApi(api);
    lambda = new LambdaClient({
      endpoint: http.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await target.ensureFunction(echo);
    await target.ensureFunction(echo); // idempotent
  });

  afterAll(async () => {
    lambda?.destroy();
    await http?.close();
    await target?.close();
  });

  it('prepares an alias per memory setting, on a version with that configuration', async () => {
    // Act
    const small = await target.prepare(echo, { memoryMB: 256 });
    const large = await target.prepare(echo, { memoryMB: 1024, timeoutS: 2 });
    // Assess: seen over HTTP, as an SDK user would.
    expect([small, large]).toEqual(['mem-256', 'mem-1024-t2']);
    const aliasSmall = await lambda.send(new GetAliasCommand({ FunctionName: echo.name, Name: small }));
    const aliasLarge = await lambda.send(new GetAliasCommand({ FunctionName: echo.name, Name: large }));
    expect(aliasSmall.FunctionVersion).not.toBe(aliasLarge.FunctionVersion);
    const configSmall = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: echo.name, Qualifier: aliasSmall.FunctionVersion }),
    );
    const configLarge = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: echo.name, Qualifier: aliasLarge.FunctionVersion }),
    );
    expect([configSmall.MemorySize, configSmall.Timeout]).toEqual([256, 1]);
    expect([configLarge.MemorySize, configLarge.Timeout]).toEqual([1024, 2]);
    expect(configSmall.Environment?.Variables).toEqual({ GREETING: 'from-target' });
  });

  it('re-preparing a setting moves its alias to the newly published version', async () => {
    const before = await lambda.send(new GetAliasCommand({ FunctionName: echo.name, Name: 'mem-256' }));
    await target.prepare(echo, { memoryMB: 256 });
    const after = await lambda.send(new GetAliasCommand({ FunctionName: echo.name, Name: 'mem-256' }));
    expect(Number(after.FunctionVersion)).toBeGreaterThan(Number(before.FunctionVersion));
  });

  it('invokes through an alias: cold then warm, with REPORT figures and the executed version', async () => {
    const qualifier = await target.prepare(echo, { memoryMB: 1024 });
    const first = await target.invoke({
      functionName: echo.name,
      qualifier,
      payload: '{"n":1}',
      type: 'RequestResponse',
    });
    const second = await target.invoke({
      functionName: echo.name,
      qualifier,
      payload: '{"n":2}',
      type: 'RequestResponse',
    });
    expect(first.status).toBe('ok');
    expect(JSON.parse(text(first.payload))).toMatchObject({
      echo: { n: 1 },
      memory: '1024',
      greeting: 'from-target',
    });
    expect(first.cold).toBe(true);
    expect(first.initDurationMs).toBeGreaterThan(0);
    expect(second.cold).toBe(false);
    expect(second.initDurationMs).toBeUndefined();
    expect(second.executedVersion).toBe(first.executedVersion);
    expect(second.executedVersion).toMatch(/^\d+$/);
    for (const r of [first, second]) {
      expect(r.memorySizeMB).toBe(1024);
      expect(r.billedDurationMs).toBeGreaterThanOrEqual(1);
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(r.callLatencyUs)).toBe(true);
      // The caller's wall time includes the function's own duration.
      expect(r.callLatencyUs / 1000).toBeGreaterThanOrEqual(r.durationMs ?? 0);
    }
  });

  it('classifies function errors, timeouts, throttles and missing functions', async () => {
    const qualifier = await target.prepare(echo, { memoryMB: 1024 });
    const call = (payload: unknown, q = qualifier, name = echo.name) =>
      target.invoke({
        functionName: name,
        qualifier: q,
        payload: JSON.stringify(payload),
        type: 'RequestResponse',
      });
    const failed = await call({ fail: 'x' });
    expect(failed.status).toBe('function-error');
    expect(failed.errorType).toBe('Error');
    // The function's timeout is 1 s.
    const slow = await call({ sleepMs: 2500 });
    expect(slow.status).toBe('timeout');
    expect(slow.errorType).toBe('Sandbox.Timedout');
    const missing = await call({}, '$LATEST', 'no-such-function');
    expect(missing).toMatchObject({
      status: 'service-error',
      errorType: 'ResourceNotFoundException',
      cold: false,
    });
    expect(missing.payload.byteLength).toBe(0);
  });

  it('reports throttles with the reason when reserved concurrency is exceeded', async () => {
    const single: FunctionDefinition = {
      ...echo,
      name: 'target-single',
      timeoutS: 5,
      reservedConcurrency: 1,
    };
    await target.ensureFunction(single);
    const qualifier = await target.prepare(single, { memoryMB: 1024 });
    const slow = () =>
      target.invoke({
        functionName: single.name,
        qualifier,
        payload: '{"sleepMs":1000}',
        type: 'RequestResponse',
      });
    const results = await Promise.all([slow(), slow()]);
    expect(results.map((r) => r.status).sort()).toEqual(['ok', 'throttled']);
    const throttled = results.find((r) => r.status === 'throttled');
    expect(throttled?.throttleReason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(throttled?.errorType).toBe('TooManyRequestsException');
  });

  it('reports out-of-memory when the function outgrows its memory size', async () => {
    const hog: FunctionDefinition = {
      name: 'target-hog',
      handler: 'memory-hog.handler',
      codeDir: HANDLERS,
      runtime: 'nodejs20.x',
      timeoutS: 20,
      environment: {},
    };
    await target.ensureFunction(hog);
    const qualifier = await target.prepare(hog, { memoryMB: 128 });
    const r = await target.invoke({
      functionName: hog.name,
      qualifier,
      payload: '{}',
      type: 'RequestResponse',
    });
    expect(r.status).toBe('out-of-memory');
    expect(r.errorType).toBe('Runtime.OutOfMemory');
  });
  it('forceColdStart makes the next invoke of the qualifier cold, and the one after warm again', async () => {
    const qualifier = await target.prepare(echo, { memoryMB: 192 });
    const call = () =>
      target.invoke({ functionName: echo.name, qualifier, payload: '{}', type: 'RequestResponse' });
    await call();
    expect((await call()).cold).toBe(false);
    const same = await target.forceColdStart(echo, qualifier);
    expect(same).toBe(qualifier);
    const cold = await call();
    expect(cold.cold).toBe(true);
    expect(cold.initDurationMs).toBeGreaterThan(0);
    expect((await call()).cold).toBe(false);
  });
});
