/**
 * The HTTP API's wire details beyond the SDK contract: the function-name forms Lambda accepts,
 * the remaining control-plane operations, headers passed through to the function, and the error
 * shape for requests the emulator does not serve. Real emulator, raw HTTP and the SDK.
 * Needs the build for the runtime client.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFunctionRef } from '../../src/emulator/http-routes.js';
import { type HttpApi, startHttpApi } from '../../src/emulator/http-server.js';
import { createEmulator } from '../../src/emulator/index.js';
import { type LambdaApi, LambdaServiceError } from '../../src/emulator/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HANDLERS = join(ROOT, 'test', 'fixtures', 'handlers');

describe('parseFunctionRef', () => {
  it('accepts every FunctionName form Lambda accepts', () => {
    expect(parseFunctionRef('fn')).toEqual({ name: 'fn' });
    expect(parseFunctionRef('fn:live')).toEqual({ name: 'fn', qualifier: 'live' });
    expect(parseFunctionRef('123456789012:function:fn')).toEqual({ name: 'fn' });
    expect(parseFunctionRef('123456789012:function:fn:3')).toEqual({ name: 'fn', qualifier: '3' });
    expect(parseFunctionRef('arn:aws:lambda:us-east-1:123456789012:function:fn')).toEqual({ name: 'fn' });
    expect(parseFunctionRef('arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST')).toEqual({
      name: 'fn',
      qualifier: '$LATEST',
    });
    expect(parseFunctionRef('fn', '2')).toEqual({ name: 'fn', qualifier: '2' });
    expect(parseFunctionRef('fn:2', '2')).toEqual({ name: 'fn', qualifier: '2' });
  });

  it('rejects malformed names and a qualifier that disagrees with ?Qualifier=', () => {
    const typeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof LambdaServiceError ? err.type : String(err);
      }
      return 'accepted';
    };
    expect(typeOf(() => parseFunctionRef('fn:2', '3'))).toBe('InvalidParameterValueException');
    expect(typeOf(() => parseFunctionRef('a:b:c'))).toBe('InvalidParameterValueException');
    expect(typeOf(() => parseFunctionRef('arn:aws:s3:::bucket'))).toBe('InvalidParameterValueException');
    expect(typeOf(() => parseFunctionRef('has space'))).toBe('InvalidParameterValueException');
    expect(typeOf(() => parseFunctionRef('fn:bad!qualifier'))).toBe('InvalidParameterValueException');
  });
});

describe('HTTP API over the wire', () => {
  let api: LambdaApi;
  let http: HttpApi;
  let lambda: LambdaClient;

  beforeAll(async () => {
    api = await createEmulator();
    http = await startHttpApi(api);
    lambda = new LambdaClient({
      endpoint: http.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await api.createFunction({
      functionName: 'knobs',
      codeDir: HANDLERS,
      handler: 'knobs.handler',
      runtime: 'nodejs20.x',
      memorySize: 1024,
    });
  });

  afterAll(async () => {
    lambda?.destroy();
    await http?.close();
    await api?.close();
  });

  it('invokes by full ARN and passes the client context to the function', async () => {
    // Prepare
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: 'knobs' }))).Configuration
      ?.FunctionArn;
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'a' } })).toString('base64');
    // Act
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: arn,
        ClientContext: clientContext,
        Payload: Buffer.from('{"echo":7}'),
      }),
    );
    // Assess
    const body = JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'));
    expect(body.echo).toBe(7);
    expect(body.context.clientContext).toMatchObject({ custom: { tenant: 'a' } });
    expect(body.context.invokedFunctionArn).toBe(arn);
  });

  it('answers an unknown path with a typed JSON error, not a hang or HTML', async () => {
    const res = await fetch(`${http.url}/2099-01-01/nothing-here`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await res.json()).toMatchObject({ Type: 'User', message: expect.stringContaining('/2099-01-01') });
  });

  it('rejects a bad X-Amz-Invocation-Type and a mismatched qualifier with InvalidParameterValueException', async () => {
    const res = await fetch(`${http.url}/2015-03-31/functions/knobs/invocations`, {
      method: 'POST',
      headers: { 'x-amz-invocation-type': 'Sometimes' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    const err = await lambda
      .send(new InvokeCommand({ FunctionName: 'knobs:1', Qualifier: '2', Payload: Buffer.from('{}') }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterValueException);
  });

  it('puts, reads and deletes reserved concurrency', async () => {
    const put = await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'knobs', ReservedConcurrentExecutions: 7 }),
    );
    expect(put.ReservedConcurrentExecutions).toBe(7);
    const got = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'knobs' }));
    expect(got.ReservedConcurrentExecutions).toBe(7);
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'knobs' }));
    expect(fn.Concurrency?.ReservedConcurrentExecutions).toBe(7);
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'knobs' }));
    const after = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'knobs' }));
    expect(after.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('rejects a memory size outside 128–10240 naming the member', async () => {
    const res = await fetch(`${http.url}/2015-03-31/functions/knobs/configuration`, {
      method: 'PUT',
      body: JSON.stringify({ MemorySize: 64 }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/MemorySize must be an integer from 128 to 10240/);
  });

  it('lists aliases and deletes a function', async () => {
    await api.createFunction({
      functionName: 'doomed',
      codeDir: HANDLERS,
      handler: 'knobs.handler',
      runtime: 'nodejs20.x',
    });
    const version = api.publishVersion('doomed').version;
    api.createAlias('doomed', { name: 'blue', functionVersion: version });
    const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: 'doomed' }));
    expect(aliases.Aliases?.map((a) => [a.Name, a.FunctionVersion])).toEqual([['blue', version]]);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' }));
    const gone = await lambda
      .send(new GetFunctionCommand({ FunctionName: 'doomed' }))
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });
});
