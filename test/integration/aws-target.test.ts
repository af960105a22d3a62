/**
 * The aws target against the emulator's HTTP API, through the real SDK clients and the signed HTTP
 * pool: what an invoke returns on each path (ok, cold, function error, timeout, throttle with its
 * Reason and Retry-After, missing function), and what prepare/forceColdStart/close do in the
 * account: versions and aliases created and removed, an existing alias moved and moved back, a
 * pinned alias left alone. Needs the build (the runtime client).
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApi, startHttpApi } from '../../src/emulator/http-server.js';
import { createEmulator } from '../../src/emulator/index.js';
import type { LambdaApi } from '../../src/emulator/types.js';
import { type AwsTarget, createAwsTarget } from '../../src/targets/aws/target.js';
import type { FunctionDefinition } from '../../src/targets/types.js';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HANDLERS = join(ROOT, 'test', 'fixtures', 'handlers');
const CREDENTIALS = { accessKeyId: 'AKIDINTEGRATION', secretAccessKey: 'integration-secret' };

let api: LambdaApi;
let http: HttpApi;
let lambda: LambdaClient;

function definition(name: string, remoteName?: string): FunctionDefinition {
  return {
    name,
    handler: 'unused',
    codeDir: HANDLERS,
    runtime: 'nodejs22.x',
    timeoutS: 3,
    environment: {},
    ...(remoteName === undefined ? {} : { remoteName }),
  };
}

async function target(invokePath: 'http' | 'sdk' = 'http'): Promise<AwsTarget> {
  return createAwsTarget({
    endpoint: http.url,
    region: 'us-east-1',
    credentials: async () => CREDENTIALS,
    journalPath: join(tempDir('lambench-aws-int-'), 'restore-journal.json'),
    invokePath,
  });
}

async function versionsOf(name: string): Promise<string[]> {
  const out = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  return (out.Versions ?? []).map((v) => v.Version ?? '');
}

async function aliasesOf(name: string): Promise<string[]> {
  const out = await lambda.send(new ListAliasesCommand({ FunctionName: name }));
  return (out.Aliases ?? []).map((a) => a.Name ?? '');
}

beforeAll(async () => {
  api = await createEmulator();
  http = await startHttpApi(api);
  lambda = new LambdaClient({ endpoint: http.url, region: 'us-east-1', credentials: CREDENTIALS });
  const create = (name: string, handler: string, timeout = 3, environment: Record<string, string> = {}) =>
    api.createFunction({
      functionName: name,
      codeDir: HANDLERS,
      handler,
      runtime: 'nodejs22.x',
      memorySize: 256,
      timeout,
      environment,
    });
  await create('knobs', 'knobs.handler', 3, { OWN: 'kept' });
  await create('throws', 'throws.handler');
  await create('hangs', 'hangs.handler', 1);
  await create('throttled', 'knobs.handler');
  await create('swept', 'knobs.handler', 3, { OWN: 'kept' });
  await lambda.send(
    new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }),
  );
});

afterAll(async () => {
  lambda?.destroy();
  await http?.close();
  await api?.close();
});

describe.each(['http', 'sdk'] as const)('invoke through the %s path', (path) => {
  it('reads cold and warm figures from the Tail REPORT, and the executed version', async () => {
    const t = await target(path);
    try {
      await t.ensureFunction(definition('knobs'));
      const qualifier = await t.prepare(definition('knobs'), { memoryMB: path === 'http' ? 384 : 448 });
      const first = await t.invoke({
        functionName: 'knobs',
        qualifier,
        payload: '{"echo":1}',
        type: 'RequestResponse',
      });
      const second = await t.invoke({
        functionName: 'knobs',
        qualifier,
        payload: '{"echo":2}',
        type: 'RequestResponse',
      });
      expect(first.status).toBe('ok');
      expect(first.cold).toBe(true);
      expect(first.initDurationMs).toBeGreaterThan(0);
      expect(first.memorySizeMB).toBe(path === 'http' ? 384 : 448);
      expect(second.cold).toBe(false);
      expect(second.initDurationMs).toBeUndefined();
      expect(second.durationMs).toBeGreaterThanOrEqual(0);
      expect(second.billedDurationMs).toBeGreaterThanOrEqual(1);
      expect(second.executedVersion).toMatch(/^\d+$/);
      expect(JSON.parse(Buffer.from(second.payload).toString()).echo).toBe(2);
      expect(second.callLatencyUs).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('tells a function error, a timeout, a throttle and a missing function apart', async () => {
    const t = await target(path);
    try {
      const error = await t.invoke({
        functionName: 'throws',
        qualifier: '$LATEST',
        payload: '{}',
        type: 'RequestResponse',
      });
      const timeout = await t.invoke({
        functionName: 'hangs',
        qualifier: '$LATEST',
        payload: '{}',
        type: 'RequestResponse',
      });
      const throttle = await t.invoke({
        functionName: 'throttled',
        qualifier: '$LATEST',
        payload: '{}',
        type: 'RequestResponse',
      });
      const missing = await t.invoke({
        functionName: 'nope',
        qualifier: '$LATEST',
        payload: '{}',
        type: 'RequestResponse',
      });
      expect(error.status).toBe('function-error');
      expect(error.errorType).toBe('ValidationError');
      expect(timeout.status).toBe('timeout');
      // The platform stops the call at the 1 s timeout; its REPORT says about that long.
      expect(timeout.durationMs).toBeGreaterThan(900);
      expect(throttle.status).toBe('throttled');
      expect(throttle.throttleReason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
      expect(throttle.retryAfterS).toBe(1);
      expect(missing.status).toBe('service-error');
      expect(missing.errorType).toBe('ResourceNotFoundException');
    } finally {
      await t.close();
    }
  });
});

describe('prepare, forceColdStart and close in the account', () => {
  it("publishes a version and an alias per setting, keeps the function's own variables, and removes it all on close", async () => {
    const t = await target();
    await t.ensureFunction(definition('swept'));
    const a = await t.prepare(definition('swept'), { memoryMB: 512 });
    const b = await t.prepare(definition('swept'), { memoryMB: 1024, environment: { EXTRA: '1' } });
    expect(a).toBe('lambench-mem-512');
    expect(b).toMatch(/^lambench-mem-1024-e[0-9a-f]{8}$/);
    expect(api.getFunctionConfiguration('swept', a).memorySize).toBe(512);
    expect(api.getFunctionConfiguration('swept', b).environment).toEqual({ OWN: 'kept', EXTRA: '1' });
    expect((await aliasesOf('swept')).sort()).toEqual([a, b].sort());
    // forceColdStart: a fresh version under the same alias, so the next invoke starts a new environment.
    await t.invoke({ functionName: 'swept', qualifier: a, payload: '{}', type: 'RequestResponse' });
    const warm = await t.invoke({
      functionName: 'swept',
      qualifier: a,
      payload: '{}',
      type: 'RequestResponse',
    });
    const q = await t.forceColdStart(definition('swept'), a);
    const cold = await t.invoke({
      functionName: 'swept',
      qualifier: q,
      payload: '{}',
      type: 'RequestResponse',
    });
    expect(warm.cold).toBe(false);
    expect(q).toBe(a);
    expect(cold.cold).toBe(true);
    expect(cold.memorySizeMB).toBe(512);
    expect(cold.executedVersion).not.toBe(warm.executedVersion);
    await t.close();
    const after = api.getFunctionConfiguration('swept');
    expect(after.memorySize).toBe(256);
    expect(after.environment).toEqual({ OWN: 'kept' });
    expect(await aliasesOf('swept')).toEqual([]);
    expect(await versionsOf('swept')).toEqual(['$LATEST']);
  });

  it('puts provisioned concurrency on the alias, waits until READY, journals it, and deletes it on close', async () => {
    const t = await target();
    const fn = { ...definition('swept'), provisionedConcurrency: 2 };
    await t.ensureFunction(fn);
    const alias = await t.prepare(fn, { memoryMB: 640 });
    // READY before prepare returns, with the count asked for.
    const ready = await lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'swept', Qualifier: alias }),
    );
    expect(ready).toMatchObject({
      Status: 'READY',
      RequestedProvisionedConcurrentExecutions: 2,
      AvailableProvisionedConcurrentExecutions: 2,
    });
    expect(t.journal.data.functions.swept?.provisioned).toEqual({ [alias]: null });
    // Two calls at once land on the two environments initialised ahead of them: no cold start.
    const calls = await Promise.all(
      [1, 2].map(() =>
        t.invoke({
          functionName: 'swept',
          qualifier: alias,
          payload: '{"delay":200}',
          type: 'RequestResponse',
        }),
      ),
    );
    expect(calls.map((c) => [c.status, c.cold])).toEqual([
      ['ok', false],
      ['ok', false],
    ]);
    expect(t.info.notes.join('\n')).toContain('provisioned concurrency 2 put on each lambench alias');
    await t.close();
    await expect(
      lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'swept', Qualifier: alias })),
    ).rejects.toMatchObject({ name: expect.stringMatching(/NotFoundException$/) });
    expect(await aliasesOf('swept')).toEqual([]);
  });

  it('moves an alias of the same name that existed before and moves it back; deletes versions a crash left unrecorded', async () => {
    const published = await lambda.send(
      new PublishVersionCommand({ FunctionName: 'knobs', Description: 'users own' }),
    );
    await lambda.send(
      new CreateAliasCommand({
        FunctionName: 'knobs',
        Name: 'lambench-mem-640',
        FunctionVersion: published.Version,
      }),
    );
    const t = await target();
    await t.ensureFunction(definition('knobs'));
    await t.prepare(definition('knobs'), { memoryMB: 640 });
    const moved = await lambda.send(new GetAliasCommand({ FunctionName: 'knobs', Name: 'lambench-mem-640' }));
    expect(moved.FunctionVersion).not.toBe(published.Version);
    // A version published by this run but never written to the journal (as if the process died right after).
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'knobs', MemorySize: 700 }));
    await lambda.send(
      new PublishVersionCommand({
        FunctionName: 'knobs',
        Description: `lambench ${t.journal.data.runId} orphan`,
      }),
    );
    await t.close();
    const back = await lambda.send(new GetAliasCommand({ FunctionName: 'knobs', Name: 'lambench-mem-640' }));
    expect(back.FunctionVersion).toBe(published.Version);
    expect(await versionsOf('knobs')).toContain(published.Version);
    const descriptions = api.listVersionsByFunction('knobs').map((v) => v.description ?? '');
    expect(descriptions.filter((d) => d.startsWith(`lambench ${t.journal.data.runId}`))).toEqual([]);
    const journal = JSON.parse(readFileSync(t.journal.path, 'utf8'));
    expect(journal.restoredAt).toEqual(expect.any(String));
    expect(JSON.stringify(journal)).not.toContain(CREDENTIALS.secretAccessKey);
  });

  it('invokes a pinned alias as deployed when it already has the setting, changing nothing', async () => {
    const published = await lambda.send(
      new PublishVersionCommand({ FunctionName: 'throws', Description: 'prod' }),
    );
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'throws', Name: 'prod', FunctionVersion: published.Version }),
    );
    const t = await target();
    await t.ensureFunction(definition('throws', 'throws:prod'));
    const q = await t.prepare(definition('throws', 'throws:prod'), { memoryMB: 256 });
    await t.close();
    expect(q).toBe('prod');
    expect(t.journal.data.functions).toEqual({});
    expect(await aliasesOf('throws')).toEqual(['prod']);
  });

  it('refuses a function that does not exist with the scenario field to fix', async () => {
    const t = await target();
    try {
      await expect(t.ensureFunction(definition('ghost'))).rejects.toThrow(
        /functions\.ghost: no function ghost in us-east-1; deploy it first or set functions\.ghost\.name/,
      );
      await expect(t.prepare(definition('throws'), { memoryMB: 256, architecture: 'arm64' })).rejects.toThrow(
        /throws is deployed for x86_64; lambench does not redeploy code to switch to arm64/,
      );
    } finally {
      await t.close();
    }
  });
});
