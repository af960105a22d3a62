// The real emulator with real processes: warm reuse, context and environment, versions and aliases,
// logs, invocation types, freezing, reaping, provisioned concurrency and throttling.
// Needs the compiled Node runtime client: run `npx tsc -p tsconfig.json` first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, LambdaServiceError } from '../../src/emulator/index.js';
import { alive, procState, until } from '../helpers/processes.js';

const ROOT = join(import.meta.dirname, '../..');
const HANDLERS = join(ROOT, 'test/fixtures/handlers');
const EXAMPLES = join(ROOT, 'examples/functions');

function json(payload: Uint8Array): Record<string, unknown> {
  return JSON.parse(Buffer.from(payload).toString());
}

async function serviceError(p: Promise<unknown>): Promise<LambdaServiceError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LambdaServiceError) return err;
    throw err;
  }
  throw new Error('expected a LambdaServiceError');
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/runtimes/node/bootstrap.js'))) {
    throw new Error('build first: npx tsc -p tsconfig.json (the Node runtime client runs from dist/)');
  }
});

describe('emulator invoke', () => {
  let em: Emulator;
  const logs: string[] = [];

  beforeAll(async () => {
    em = await createEmulator({ cpuLimiter: 'off', onLog: (fn, line) => logs.push(`${fn}|${line}`) });
    await em.createFunction({
      functionName: 'knobs',
      codeDir: HANDLERS,
      handler: 'knobs.handler',
      runtime: 'nodejs22.x',
      memorySize: 256,
      environment: { GREETING: 'hi' },
    });
  });
  afterAll(() => em.close());

  it('cold-starts once, then reuses the warm environment with its module state', async () => {
    const first = await em.invoke({ functionName: 'knobs', payload: '{"echo":"a"}' });
    const second = await em.invoke({ functionName: 'knobs', payload: '{"echo":"b"}' });
    expect(first.statusCode).toBe(200);
    expect(first.cold).toBe(true);
    expect(first.report?.initDurationMs).toBeGreaterThan(0);
    expect(first.report?.billedDurationMs).toBe(
      Math.ceil((first.report?.durationMs ?? 0) + (first.report?.initDurationMs ?? 0)),
    );
    expect(second.cold).toBe(false);
    expect(second.report?.initDurationMs).toBeUndefined();
    expect(json(second.payload)).toMatchObject({ calls: 2, pid: json(first.payload).pid, echo: 'b' });
    expect(second.report?.maxMemoryUsedMB).toBeGreaterThan(10);
    expect(second.cpuLimiter).toBe('off');
    expect(second.runtimeNote).toBe(
      process.versions.node.startsWith('22.')
        ? undefined
        : `nodejs22.x runs on this machine's Node.js ${process.versions.node}`,
    );
  });

  it('passes the full context and the Lambda environment, and nothing else from the host', async () => {
    process.env.LAMBENCH_SECRET_HOST_VAR = 'leak';
    const out = await em.invoke({
      functionName: 'knobs',
      payload: JSON.stringify({
        env: ['GREETING', 'TZ', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_INITIALIZATION_TYPE'],
        envKeys: true,
      }),
      clientContext: Buffer.from(JSON.stringify({ custom: { tenant: 't1' } })).toString('base64'),
    });
    const body = json(out.payload) as {
      context: Record<string, unknown>;
      env: Record<string, string>;
      envKeys: string[];
      remainingMs: number;
    };
    expect(body.context).toMatchObject({
      functionName: 'knobs',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:knobs',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/knobs',
      clientContext: { custom: { tenant: 't1' } },
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(body.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.context.awsRequestId).toBe(out.report?.requestId);
    expect(body.remainingMs).toBeGreaterThan(2000);
    expect(body.remainingMs).toBeLessThanOrEqual(3000);
    expect(body.env).toEqual({
      GREETING: 'hi',
      TZ: ':UTC',
      AWS_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
    expect(body.envKeys).not.toContain('LAMBENCH_SECRET_HOST_VAR');
    expect(body.envKeys).toEqual(
      expect.arrayContaining([
        'AWS_LAMBDA_RUNTIME_API',
        '_HANDLER',
        'LAMBDA_TASK_ROOT',
        'LAMBDA_RUNTIME_DIR',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
        'AWS_LAMBDA_LOG_STREAM_NAME',
        'AWS_DEFAULT_REGION',
        'PATH',
      ]),
    );
  });

  it('writes START, the function output in Lambda format, END and REPORT; Tail returns the last 4 KB', async () => {
    logs.length = 0;
    const out = await em.invoke({ functionName: 'knobs', payload: '{"log":true}', logType: 'Tail' });
    const id = out.report?.requestId ?? '';
    const tail = Buffer.from(out.logResult ?? '', 'base64')
      .toString()
      .split('\n');
    expect(tail[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(tail[1]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${id}\\tINFO\\tlog line \\d+$`));
    expect(tail[2]).toBe(`END RequestId: ${id}`);
    expect(tail[3]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\t$`,
      ),
    );
    expect(logs.filter((l) => l.includes(id))).toEqual(tail.filter((l) => l !== '').map((l) => `knobs|${l}`));
  });

  it('without Tail, answers at once and still logs each invoke whole: START, output, END, REPORT', async () => {
    logs.length = 0;
    // Back to back: the second event is delivered before the first's END and REPORT were written.
    const first = await em.invoke({ functionName: 'knobs', payload: '{"log":true}' });
    const second = await em.invoke({ functionName: 'knobs', payload: '{"log":true}' });
    await until(() => logs.filter((l) => l.startsWith('knobs|REPORT')).length === 2);
    const kinds = logs
      .filter((l) => l.startsWith('knobs|'))
      .map((l) => {
        const id = [first, second].findIndex((o) => l.includes(o.report?.requestId ?? '?'));
        const kind = /^knobs\|(START|END|REPORT)/.exec(l)?.[1] ?? 'output';
        return `${kind} ${id}`;
      });
    expect(kinds).toEqual([
      'START 0',
      'output 0',
      'END 0',
      'REPORT 0',
      'START 1',
      'output 1',
      'END 1',
      'REPORT 1',
    ]);
  });

  it('answers Event with 202 and runs it in the background, DryRun with 204', async () => {
    const event = await em.invoke({ functionName: 'knobs', payload: '{}', invocationType: 'Event' });
    expect(event).toMatchObject({ statusCode: 202, executedVersion: '$LATEST' });
    expect(event.payload.length).toBe(0);
    await until(() => logs.some((l) => l === 'knobs|Event invoke finished: ok'));
    const dry = await em.invoke({ functionName: 'knobs', payload: '{}', invocationType: 'DryRun' });
    expect(dry.statusCode).toBe(204);
    expect(
      (await serviceError(em.invoke({ functionName: 'ghost', payload: '{}', invocationType: 'DryRun' })))
        .type,
    ).toBe('ResourceNotFoundException');
  });

  it('rejects payloads past 6 MB sync and 1 MB async with RequestTooLargeException', async () => {
    const sync = await serviceError(
      em.invoke({ functionName: 'knobs', payload: 'x'.repeat(6 * 1024 * 1024 + 101) }),
    );
    expect(sync).toMatchObject({ type: 'RequestTooLargeException', httpStatus: 413 });
    const async = await serviceError(
      em.invoke({ functionName: 'knobs', payload: 'x'.repeat(1024 * 1024 + 1), invocationType: 'Event' }),
    );
    expect(async.httpStatus).toBe(413);
  });

  it('runs published versions and aliases and reports the executed version', async () => {
    const v1 = em.publishVersion('knobs');
    await em.updateFunctionConfiguration('knobs', { memorySize: 512 });
    const v2 = em.publishVersion('knobs');
    expect([v1.version, v2.version]).toEqual(['1', '2']);
    em.createAlias('knobs', { name: 'live', functionVersion: '1', additionalVersionWeights: { '2': 0.5 } });
    const seen = new Set<string>();
    for (let i = 0; i < 16 && seen.size < 2; i++) {
      const out = await em.invoke({ functionName: 'knobs:live', payload: '{}' });
      seen.add(out.executedVersion);
      expect(json(out.payload).context).toMatchObject({
        functionVersion: out.executedVersion,
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:knobs:live',
      });
    }
    expect(seen).toEqual(new Set(['1', '2']));
    const byVersion = await em.invoke({ functionName: 'knobs', qualifier: '1', payload: '{}' });
    expect(json(byVersion.payload).context).toMatchObject({ memoryLimitInMB: '256', functionVersion: '1' });
    em.updateAlias('knobs', 'live', { functionVersion: '2', additionalVersionWeights: {} });
    expect(
      (await em.invoke({ functionName: 'knobs', qualifier: 'live', payload: '{}' })).executedVersion,
    ).toBe('2');
  });

  it('throttles past reserved concurrency with 429 and the Reason', async () => {
    await em.createFunction({
      functionName: 'one',
      codeDir: HANDLERS,
      handler: 'knobs.handler',
      runtime: 'nodejs22.x',
      reservedConcurrency: 1,
    });
    const slow = em.invoke({ functionName: 'one', payload: '{"delay":300}' });
    const err = await serviceError(em.invoke({ functionName: 'one', payload: '{}' }));
    expect(err).toMatchObject({
      type: 'TooManyRequestsException',
      httpStatus: 429,
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect((await slow).statusCode).toBe(200);
    em.putFunctionConcurrency('one', 0);
    expect((await serviceError(em.invoke({ functionName: 'one', payload: '{}' }))).httpStatus).toBe(429);
    em.deleteFunctionConcurrency('one');
    expect((await em.invoke({ functionName: 'one', payload: '{}' })).statusCode).toBe(200);
  });
});

describe('environment lifecycle', () => {
  it('freezes idle environments lazily, thaws them on invoke, reaps them after the idle timeout', async () => {
    const em = await createEmulator({ cpuLimiter: 'off', freezeAfterMs: 150, idleTimeoutMs: 1500 });
    try {
      await em.createFunction({
        functionName: 'k',
        codeDir: HANDLERS,
        handler: 'knobs.handler',
        runtime: 'nodejs22.x',
      });
      const first = await em.invoke({ functionName: 'k', payload: '{}' });
      const pid = Number(json(first.payload).pid);
      // Back-to-back invokes leave it running.
      await em.invoke({ functionName: 'k', payload: '{}' });
      expect(procState(pid)).not.toBe('T');
      await until(() => procState(pid) === 'T');
      const thawed = await em.invoke({ functionName: 'k', payload: '{}' });
      expect(thawed.cold).toBe(false);
      expect(json(thawed.payload).pid).toBe(pid);
      await until(() => !alive(pid));
      const after = await em.invoke({ functionName: 'k', payload: '{}' });
      expect(after.cold).toBe(true);
      expect(json(after.payload).pid).not.toBe(pid);
    } finally {
      await em.close();
    }
  });

  it('keeps provisioned environments initialised and leaves no process behind on close', async () => {
    const em = await createEmulator({ cpuLimiter: 'off' });
    await em.createFunction({
      functionName: 'p',
      codeDir: HANDLERS,
      handler: 'knobs.handler',
      runtime: 'nodejs22.x',
    });
    em.publishVersion('p');
    em.createAlias('p', { name: 'prod', functionVersion: '1' });
    expect((await serviceError(em.putProvisionedConcurrency('p', '$LATEST', 1))).type).toBe(
      'InvalidParameterValueException',
    );
    await em.putProvisionedConcurrency('p', 'prod', 2);
    const pids = em.environmentPids();
    expect(pids).toHaveLength(2);
    const out = await em.invoke({
      functionName: 'p',
      qualifier: 'prod',
      payload: '{"env":["AWS_LAMBDA_INITIALIZATION_TYPE"]}',
    });
    expect(out.cold).toBe(false);
    expect(out.report?.initDurationMs).toBeUndefined();
    expect(json(out.payload).env).toEqual({ AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency' });
    await em.close();
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('host bounds', () => {
  it('past maxEnvironments, a cold start reclaims the idle environment of another function', async () => {
    const em = await createEmulator({ cpuLimiter: 'off', maxEnvironments: 1 });
    try {
      for (const name of ['a', 'b']) {
        await em.createFunction({
          functionName: name,
          codeDir: HANDLERS,
          handler: 'knobs.handler',
          runtime: 'nodejs22.x',
        });
      }
      const a = await em.invoke({ functionName: 'a', payload: '{}' });
      const aPid = Number(json(a.payload).pid);
      const b = await em.invoke({ functionName: 'b', payload: '{}' });
      expect(b.cold).toBe(true);
      await until(() => !alive(aPid));
      expect(em.environmentPids()).toEqual([Number(json(b.payload).pid)]);
    } finally {
      await em.close();
    }
  });

  it('past maxEnvironments, invokes of a busy function wait for one of its environments', async () => {
    const em = await createEmulator({ cpuLimiter: 'off', maxEnvironments: 1 });
    try {
      await em.createFunction({
        functionName: 's',
        codeDir: HANDLERS,
        handler: 'knobs.handler',
        runtime: 'nodejs22.x',
      });
      const outs = await Promise.all(
        [1, 2, 3].map(() => em.invoke({ functionName: 's', payload: '{"delay":100}' })),
      );
      expect(new Set(outs.map((o) => json(o.payload).pid)).size).toBe(1);
      expect(outs.filter((o) => o.cold)).toHaveLength(1);
      expect(outs.every((o) => o.functionError === undefined)).toBe(true);
    } finally {
      await em.close();
    }
  });
});

describe('handler styles and runtimes', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await createEmulator({ cpuLimiter: 'off' });
  });
  afterAll(() => em.close());

  async function run(
    name: string,
    handler: string,
    runtime = 'nodejs22.x',
    codeDir = HANDLERS,
    payload = '{"echo":1}',
  ) {
    await em.createFunction({ functionName: name, codeDir, handler, runtime, memorySize: 512 });
    return em.invoke({ functionName: name, payload, logType: 'Tail' });
  }

  it('loads ESM (.mjs and "type": "module"), .cjs with a nested export, and nested paths', async () => {
    expect(json((await run('esm', 'esm.handler')).payload)).toMatchObject({ style: 'esm', echo: 1 });
    expect(json((await run('pkg', 'esm-pkg/index.handler')).payload)).toEqual({ style: 'esm-package' });
    expect(json((await run('cjs', 'cjs.api.handler')).payload)).toEqual({ style: 'cjs', echo: 1 });
    expect(json((await run('nested', 'nested/deep/handler.main')).payload)).toEqual({ style: 'nested' });
  });

  it('supports callback handlers and warns about them on nodejs24.x', async () => {
    const on22 = await run('cb22', 'callback.handler');
    expect(json(on22.payload)).toMatchObject({ style: 'callback' });
    expect(Buffer.from(on22.logResult ?? '', 'base64').toString()).not.toContain('Callback-based');
    const on24 = await run('cb24', 'callback.handler', 'nodejs24.x');
    expect(json(on24.payload)).toMatchObject({ style: 'callback', requestId: on24.report?.requestId });
    expect(Buffer.from(on24.logResult ?? '', 'base64').toString()).toMatch(
      /\tundefined\tWARN\tCallback-based function handlers are not supported in Node.js 24/,
    );
    const failed = await em.invoke({ functionName: 'cb22', payload: '{"fail":true}' });
    expect(failed.functionError).toBe('Unhandled');
    expect(json(failed.payload)).toMatchObject({ errorType: 'Error', errorMessage: 'callback error' });
  });

  it('runs the python example and the custom-runtime example', async () => {
    const py = await run(
      'pyhello',
      'app.handler',
      'python3.12',
      join(EXAMPLES, 'python-hello'),
      '{"name":"Ada"}',
    );
    expect(json(py.payload)).toEqual({ message: 'Hello, Ada!', requestId: py.report?.requestId });
    const custom = await run(
      'custom',
      'whatever',
      'provided.al2023',
      join(EXAMPLES, 'custom-runtime'),
      '{"text":"hey"}',
    );
    expect(json(custom.payload)).toEqual({ runtime: 'custom', handler: 'whatever', shout: 'HEY' });
    const hello = await run('hello', 'index.handler', 'nodejs22.x', join(EXAMPLES, 'hello'), '{"name":"Bo"}');
    expect(json(hello.payload)).toMatchObject({ message: 'Hello, Bo!' });
  });
});
