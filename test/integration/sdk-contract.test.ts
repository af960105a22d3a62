/**
 * The emulator's HTTP API against the real @aws-sdk/client-lambda: what the SDK sends must be
 * understood, and what comes back must parse into the SDK's own outputs and typed exceptions.
 * Needs the build (`npx tsc -p tsconfig.json`) for the runtime client and the serve e2e test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidRequestContentException,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  RequestTooLargeException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApi, startHttpApi } from '../../src/emulator/http-server.js';
import { createEmulator } from '../../src/emulator/index.js';
import type { LambdaApi } from '../../src/emulator/types.js';
import { reportFromLogResult } from '../../src/targets/report-line.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FUNCTIONS = join(ROOT, 'test', 'fixtures', 'sam', 'functions');

function client(endpoint: string): LambdaClient {
  // maxAttempts 1: the SDK would otherwise retry throttles and hide the TooManyRequestsException.
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
const payloadOf = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('HTTP API with the AWS SDK', () => {
  let api: LambdaApi;
  let http: HttpApi;
  let lambda: LambdaClient;

  beforeAll(async () => {
    api = await createEmulator();
    http = await startHttpApi(api);
    lambda = client(http.url);
    await api.createFunction({
      functionName: 'echo',
      codeDir: FUNCTIONS,
      handler: 'echo.handler',
      runtime: 'nodejs20.x',
      memorySize: 1024,
      environment: { GREETING: 'hello' },
    });
  });

  afterAll(async () => {
    lambda?.destroy();
    await http?.close();
    await api?.close();
  });

  it('invokes synchronously and returns the Tail log with a REPORT line', async () => {
    // Act
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: 'echo',
        Payload: payloadOf({ log: 'from the test' }),
        LogType: 'Tail',
      }),
    );
    // Assess
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(json(out.Payload)).toMatchObject({
      echo: { log: 'from the test' },
      greeting: 'hello',
      memory: '1024',
    });
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toContain('from the test');
    expect(reportFromLogResult(out.LogResult ?? '')?.memorySizeMB).toBe(1024);
  });

  it('reports a function error as 200 with FunctionError Unhandled and the error JSON', async () => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: payloadOf({ fail: 'boom' }) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out.Payload)).toMatchObject({ errorType: 'Error', errorMessage: 'asked to fail: boom' });
  });

  it('answers Event with 202 and DryRun with 204', async () => {
    const event = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: payloadOf({}) }),
    );
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(event.StatusCode).toBe(202);
    expect(dry.StatusCode).toBe(204);
  });

  it('describes the function with the Lambda API field names', async () => {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'echo' }));
    expect(config).toMatchObject({
      FunctionName: 'echo',
      Runtime: 'nodejs20.x',
      Handler: 'echo.handler',
      MemorySize: 1024,
      Timeout: 3,
      Version: '$LATEST',
      Environment: { Variables: { GREETING: 'hello' } },
      State: 'Active',
      LastUpdateStatus: 'Successful',
    });
    expect(config.FunctionArn).toMatch(/^arn:aws:lambda:us-east-1:\d{12}:function:echo$/);
    expect(config.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));
    expect(fn.Configuration?.FunctionName).toBe('echo');
    const list = await lambda.send(new ListFunctionsCommand({}));
    expect(list.Functions?.map((f) => f.FunctionName)).toContain('echo');
  });

  it('publishes a version per memory size, each with its own frozen configuration', async () => {
    const versions: Record<number, string> = {};
    for (const memory of [128, 512, 1024]) {
      const updated = await lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'echo', MemorySize: memory }),
      );
      expect(updated.MemorySize).toBe(memory);
      const published = await lambda.send(new PublishVersionCommand({ FunctionName: 'echo' }));
      versions[memory] = published.Version ?? '';
    }
    for (const [memory, version] of Object.entries(versions)) {
      const config = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: 'echo', Qualifier: version }),
      );
      expect(config.MemorySize).toBe(Number(memory));
      expect(config.Version).toBe(version);
      expect(config.FunctionArn).toMatch(new RegExp(`:function:echo:${version}$`));
    }
    const invoked = await lambda.send(
      new InvokeCommand({ FunctionName: `echo:${versions[512]}`, Payload: payloadOf({}) }),
    );
    expect(invoked.ExecutedVersion).toBe(versions[512]);
    expect(json(invoked.Payload).memory).toBe('512');
    const listed = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'echo' }));
    expect(listed.Versions?.map((v) => v.Version)).toEqual(expect.arrayContaining(Object.values(versions)));
  });

  it('routes an alias between two versions by weight, visible in ExecutedVersion', async () => {
    // Prepare: two versions of a function, an alias sending half the traffic to the second.
    await api.createFunction({
      functionName: 'routed',
      codeDir: FUNCTIONS,
      handler: 'trivial.handler',
      runtime: 'nodejs20.x',
      memorySize: 1024,
    });
    const v1 = (await lambda.send(new PublishVersionCommand({ FunctionName: 'routed' }))).Version ?? '';
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'routed', Timeout: 5 }));
    const v2 = (await lambda.send(new PublishVersionCommand({ FunctionName: 'routed' }))).Version ?? '';
    const alias = await lambda.send(
      new CreateAliasCommand({
        FunctionName: 'routed',
        Name: 'live',
        FunctionVersion: v1,
        RoutingConfig: { AdditionalVersionWeights: { [v2]: 0.5 } },
      }),
    );
    expect(alias.AliasArn).toMatch(/:function:routed:live$/);
    // Act: 40 invokes; all landing on one version has probability 2 × 0.5^40.
    const executed = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: 'routed', Qualifier: 'live', Payload: payloadOf({}) }),
      );
      executed.set(out.ExecutedVersion ?? '?', (executed.get(out.ExecutedVersion ?? '?') ?? 0) + 1);
    }
    // Assess
    expect([...executed.keys()].sort()).toEqual([v1, v2].sort());
    const got = await lambda.send(new GetAliasCommand({ FunctionName: 'routed', Name: 'live' }));
    expect(got.RoutingConfig?.AdditionalVersionWeights).toEqual({ [v2]: 0.5 });
    const moved = await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'routed',
        Name: 'live',
        FunctionVersion: v2,
        RoutingConfig: {},
      }),
    );
    expect(moved.FunctionVersion).toBe(v2);
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'routed', Name: 'live' }));
    const gone = await rejection(lambda.send(new GetAliasCommand({ FunctionName: 'routed', Name: 'live' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });

  it('raises ResourceNotFoundException for an unknown function and qualifier', async () => {
    const missing = await rejection(
      lambda.send(new InvokeCommand({ FunctionName: 'nope', Payload: payloadOf({}) })),
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    const badQualifier = await rejection(
      lambda.send(
        new InvokeCommand({ FunctionName: 'echo', Qualifier: 'no-such-alias', Payload: payloadOf({}) }),
      ),
    );
    expect(badQualifier).toBeInstanceOf(ResourceNotFoundException);
  });

  it('raises TooManyRequestsException with Reason when reserved concurrency 1 is exceeded', async () => {
    // Prepare: a warm environment, so both invokes would start at once.
    await api.createFunction({
      functionName: 'single',
      codeDir: FUNCTIONS,
      handler: 'echo.handler',
      runtime: 'nodejs20.x',
      memorySize: 1024,
    });
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'single', ReservedConcurrentExecutions: 1 }),
    );
    const slow = () =>
      lambda.send(new InvokeCommand({ FunctionName: 'single', Payload: payloadOf({ sleepMs: 1500 }) }));
    // Act
    const [a, b] = await Promise.allSettled([slow(), slow()]);
    // Assess: exactly one ran, the other was throttled with the reason and Retry-After.
    const outcomes = [a, b];
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const throttled = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(throttled.reason).toBeInstanceOf(TooManyRequestsException);
    const err = throttled.reason as TooManyRequestsException;
    expect(err.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(err.$metadata.httpStatusCode).toBe(429);
    expect(err.retryAfterSeconds).toBeDefined();
  });

  it('raises RequestTooLargeException past 6 MB sync and 1 MB async', async () => {
    const big = (bytes: number) => payloadOf('x'.repeat(bytes));
    const sync = await rejection(
      lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: big(6 * 1024 * 1024) })),
    );
    expect(sync).toBeInstanceOf(RequestTooLargeException);
    expect((sync as RequestTooLargeException).message).toMatch(/6291456 bytes/);
    const async = await rejection(
      lambda.send(
        new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: big(1024 * 1024) }),
      ),
    );
    expect(async).toBeInstanceOf(RequestTooLargeException);
    // Just under the async limit is accepted.
    const ok = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: big(1024 * 1024 - 100) }),
    );
    expect(ok.StatusCode).toBe(202);
  });

  it('raises InvalidRequestContentException for a body that is not JSON', async () => {
    const err = await rejection(
      lambda.send(
        new InvokeCommand({ FunctionName: 'echo', Payload: new TextEncoder().encode('{not json') }),
      ),
    );
    expect(err).toBeInstanceOf(InvalidRequestContentException);
    expect((err as InvalidRequestContentException).$metadata.httpStatusCode).toBe(400);
  });

  it('creates a function from a local directory with the hot-reload Code convention', async () => {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'made-over-http',
        Role: 'arn:aws:iam::123456789012:role/x',
        Runtime: 'nodejs20.x',
        Handler: 'trivial.handler',
        MemorySize: 1024,
        Code: { S3Bucket: 'hot-reload', S3Key: FUNCTIONS },
      }),
    );
    expect(created.FunctionName).toBe('made-over-http');
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'made-over-http', Payload: payloadOf({}) }),
    );
    expect(json(out.Payload)).toEqual({ ok: true });
  });
});

describe('lambench serve as a child process', () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('serves a SAM template’s functions to the SDK and stops on SIGTERM', async () => {
    // Prepare
    child = spawn(
      process.execPath,
      [join(ROOT, 'dist', 'cli', 'main.js'), 'serve', '--port', '0', 'template.yaml'],
      {
        cwd: join(ROOT, 'test', 'fixtures', 'sam'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const proc = child;
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      proc.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const lambda = client(url);
    // Act
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: payloadOf({ n: 1 }) }));
    lambda.destroy();
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    // Assess
    expect(json(out.Payload)).toMatchObject({ echo: { n: 1 }, memory: '256', greeting: 'hello' });
    expect(await exited).toBe(0);
  });
});
