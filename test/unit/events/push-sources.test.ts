import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../src/events/index.js';
import { firstRecord } from './helpers.js';

const ctx = { seed: 3, index: 0 };

describe('sns', () => {
  it('sends a PascalCase record with Lambda URL casing and a null Subject when none', () => {
    const rec = firstRecord('sns', undefined, { topic: 'orders', message: 'hi' });
    expect(rec).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0' });
    const sns = rec.Sns;
    expect(sns.Type).toBe('Notification');
    expect(sns.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:orders');
    expect(rec.EventSubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:orders:[0-9a-f-]{36}$/);
    expect(sns.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sns.Subject).toBeNull();
    expect(sns.Message).toBe('hi');
    expect(sns.Timestamp).toMatch(/\.\d{3}Z$/);
    expect(sns.SignatureVersion).toBe('1');
    expect(Buffer.from(sns.Signature, 'base64').length).toBe(256);
    expect(sns.SigningCertUrl).toMatch(
      /^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-[0-9a-f]{32}\.pem$/,
    );
    expect(sns.UnsubscribeUrl).toContain(`SubscriptionArn=${rec.EventSubscriptionArn}`);
    expect('SigningCertURL' in sns).toBe(false);
  });

  it('JSON-stringifies object messages and types attributes', () => {
    const sns = firstRecord('sns', undefined, {
      subject: 'S',
      message: { a: 1 },
      attributes: { color: 'red', n: 3, tags: ['x'], raw: { Type: 'Binary', Value: 'AQI=' } },
    }).Sns;
    expect(sns.Subject).toBe('S');
    expect(JSON.parse(sns.Message)).toEqual({ a: 1 });
    expect(sns.MessageAttributes).toEqual({
      color: { Type: 'String', Value: 'red' },
      n: { Type: 'Number', Value: '3' },
      tags: { Type: 'String.Array', Value: '["x"]' },
      raw: { Type: 'Binary', Value: 'AQI=' },
    });
  });

  it('refuses messages over 256 KiB, naming the limit', () => {
    expect(() => firstRecord('sns', undefined, { message: 'x'.repeat(262_145) })).toThrow(
      /SNS message limit of 256 KiB/,
    );
    expect(() => firstRecord('sns', undefined, { message: 'x'.repeat(262_000) })).not.toThrow();
  });
});

describe('apigateway rest (payload 1.0)', () => {
  it('sends nulls where API Gateway sends null and keeps header casing', () => {
    const e = generate('apigateway', 'rest', { method: 'GET', path: '/health' }, ctx) as any;
    expect(e.resource).toBe('/{proxy+}');
    expect(e.pathParameters).toEqual({ proxy: 'health' });
    expect(e.queryStringParameters).toBeNull();
    expect(e.multiValueQueryStringParameters).toBeNull();
    expect(e.stageVariables).toBeNull();
    expect(e.body).toBeNull();
    expect(e.isBase64Encoded).toBe(false);
    expect(e.headers['User-Agent']).toBeDefined();
    expect(e.multiValueHeaders['User-Agent']).toEqual([e.headers['User-Agent']]);
    const rc = e.requestContext;
    expect(rc).toMatchObject({
      httpMethod: 'GET',
      stage: 'prod',
      path: '/prod/health',
      resourcePath: '/{proxy+}',
      protocol: 'HTTP/1.1',
    });
    expect(rc.requestTime).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(typeof rc.requestTimeEpoch).toBe('number');
    expect(rc.identity.sourceIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(rc.identity.cognitoIdentityId).toBeNull();
    expect('authorizer' in rc).toBe(false);
  });

  it('keeps repeated headers and query keys in the multi-value maps, last value in the single map', () => {
    const e = generate(
      'apigateway',
      'rest',
      {
        method: 'get',
        path: '/pets/42?a=1&a=2&b=x%20y',
        resource: '/pets/{id}',
        headers: ['X-Tag=1', 'X-Tag=2'],
      },
      ctx,
    ) as any;
    expect(e.pathParameters).toEqual({ id: '42' });
    expect(e.queryStringParameters).toEqual({ a: '2', b: 'x y' });
    expect(e.multiValueQueryStringParameters).toEqual({ a: ['1', '2'], b: ['x y'] });
    expect(e.headers['X-Tag']).toBe('2');
    expect(e.multiValueHeaders['X-Tag']).toEqual(['1', '2']);
    expect(() => generate('apigateway', 'rest', { path: '/cats/1', resource: '/pets/{id}' }, ctx)).toThrow(
      /does not match/,
    );
  });

  it('base64-encodes binary bodies and refuses bodies over 10 MiB', () => {
    const e = generate(
      'apigateway',
      'rest',
      { method: 'POST', path: '/u', body: 'hello', binary: true },
      ctx,
    ) as any;
    expect(e.isBase64Encoded).toBe(true);
    expect(Buffer.from(e.body, 'base64').toString()).toBe('hello');
    expect(() =>
      generate(
        'apigateway',
        'rest',
        { method: 'POST', path: '/u', body: 'x'.repeat(10 * 1024 * 1024 + 1) },
        ctx,
      ),
    ).toThrow(/API Gateway payload limit of 10 MiB/);
  });
});

describe('apigateway http (payload 2.0)', () => {
  it('lowercases and comma-joins headers, splits cookies, leaves empty fields out', () => {
    const e = generate(
      'apigateway',
      'http',
      {
        method: 'GET',
        path: '/pets?a=1&a=2',
        headers: ['X-Tag=1', 'x-tag=2', 'Cookie=s=1; t=2'],
      },
      ctx,
    ) as any;
    expect(e.version).toBe('2.0');
    expect(e.routeKey).toBe('$default');
    expect(e.rawPath).toBe('/pets');
    expect(e.rawQueryString).toBe('a=1&a=2');
    expect(e.queryStringParameters).toEqual({ a: '1,2' });
    expect(e.headers['x-tag']).toBe('1,2');
    expect(Object.keys(e.headers).every((h: string) => h === h.toLowerCase())).toBe(true);
    expect(e.cookies).toEqual(['s=1', 't=2']);
    expect(e.headers.cookie).toBeUndefined();
    for (const absent of [
      'body',
      'pathParameters',
      'stageVariables',
      'multiValueHeaders',
      'multiValueQueryStringParameters',
    ]) {
      expect(absent in e).toBe(false);
    }
    expect(e.requestContext.http).toMatchObject({ method: 'GET', path: '/pets', protocol: 'HTTP/1.1' });
    expect(e.requestContext.stage).toBe('$default');
    expect(typeof e.requestContext.timeEpoch).toBe('number');
  });

  it('builds routeKey and path parameters from a route, and base64 binary bodies', () => {
    const e = generate(
      'apigateway',
      'http',
      { method: 'PUT', path: '/pets/7', resource: '/pets/{id}', body: 'x', binary: true },
      ctx,
    ) as any;
    expect(e.routeKey).toBe('PUT /pets/{id}');
    expect(e.pathParameters).toEqual({ id: '7' });
    expect(e.isBase64Encoded).toBe(true);
    expect(e.body).toBe(Buffer.from('x').toString('base64'));
    expect('queryStringParameters' in e).toBe(false);
  });
});

describe('apigateway Lambda authorizer context', () => {
  const context = { user: 'ada', tier: 3, admin: true, groups: ['a', 'b'], claims: { sub: 'x' } };

  it('REST (1.0): values stringified, principalId and integrationLatency added beside them', () => {
    const { groups: _g, claims: _c, ...scalars } = context;
    const e = generate('apigateway', 'rest', { path: '/p', authorizer: scalars }, ctx) as any;
    expect(e.requestContext.authorizer).toEqual({
      principalId: 'user',
      integrationLatency: 0,
      user: 'ada',
      tier: '3',
      admin: 'true',
    });
    // API Gateway answers 500 when a REST authorizer's context holds an object or an array.
    expect(() => generate('apigateway', 'rest', { path: '/p', authorizer: context }, ctx)).toThrow(
      /string, number or boolean context values/,
    );
  });

  it('HTTP API (2.0): authorizer.lambda is the context alone, JSON types kept', () => {
    const e = generate('apigateway', 'http', { path: '/p', authorizer: context }, ctx) as any;
    expect(e.requestContext.authorizer).toEqual({ lambda: context });
    expect(e.requestContext.authorizer.lambda).not.toHaveProperty('principalId');
    expect(e.requestContext.authorizer.lambda).not.toHaveProperty('integrationLatency');
  });

  it('no authorizer option: no authorizer in either payload, as when none ran', () => {
    for (const type of ['rest', 'http']) {
      const e = generate('apigateway', type, { path: '/p' }, ctx) as any;
      expect('authorizer' in e.requestContext).toBe(false);
    }
  });
});

describe('eventbridge', () => {
  it('sends the scheduled envelope with version 0 and a time without milliseconds', () => {
    const e = generate('eventbridge', 'scheduled', { rule: 'nightly' }, ctx) as any;
    expect(e).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      detail: {},
    });
    expect(e.resources).toEqual(['arn:aws:events:us-east-1:123456789012:rule/nightly']);
    expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes custom source, detail-type and JSON detail', () => {
    const e = generate(
      'eventbridge',
      'custom',
      { source: 'app.orders', detailType: 'Order Placed', detail: '{"id":1}' },
      ctx,
    ) as any;
    expect(e).toMatchObject({ source: 'app.orders', 'detail-type': 'Order Placed', detail: { id: 1 } });
    expect(() => generate('eventbridge', 'custom', { detail: '{"x":' }, ctx)).toThrow(/detail.*valid JSON/);
    expect(() => generate('eventbridge', 'custom', { detail: { s: 'x'.repeat(262_144) } }, ctx)).toThrow(
      /256 KiB/,
    );
  });
});

describe('cloudformation', () => {
  it.each(['Create', 'Update', 'Delete'])('%s carries exactly the fields CloudFormation sends', (type) => {
    const e = generate('cloudformation', type.toLowerCase(), { properties: { Bucket: 'b' } }, ctx) as any;
    expect(e.RequestType).toBe(type);
    expect(e.ServiceToken).toMatch(/^arn:aws:lambda:/);
    expect(e.ResponseURL).toMatch(
      /^https:\/\/cloudformation-custom-resource-response-.*X-Amz-Signature=[0-9a-f]{64}$/,
    );
    expect(e.StackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:123456789012:stack\/lambench-stack\/[0-9a-f-]{36}$/,
    );
    expect(e.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.ResourceProperties).toEqual({ Bucket: 'b', ServiceToken: e.ServiceToken });
    expect('PhysicalResourceId' in e).toBe(type !== 'Create');
    expect('OldResourceProperties' in e).toBe(type === 'Update');
    if (type === 'Update') expect(e.OldResourceProperties.ServiceToken).toBe(e.ServiceToken);
  });

  it('keeps the physical id stable across requests and validates the resource type', () => {
    const a = generate('cloudformation', 'update', {}, { seed: 1, index: 0 }) as any;
    const b = generate('cloudformation', 'delete', {}, { seed: 9, index: 5 }) as any;
    expect(a.PhysicalResourceId).toBe(b.PhysicalResourceId);
    expect(() => generate('cloudformation', 'create', { resourceType: 'MyThing' }, ctx)).toThrow(
      /resourceType/,
    );
  });
});

describe('alexa', () => {
  it('builds launch, intent with slots and session-ended requests', () => {
    const launch = generate('alexa', 'launch', {}, ctx) as any;
    expect(launch.version).toBe('1.0');
    expect(launch.session.new).toBe(true);
    expect(launch.session.sessionId).toMatch(/^amzn1\.echo-api\.session\./);
    expect(launch.context.System.application.applicationId).toBe(launch.session.application.applicationId);
    expect(launch.request).toMatchObject({ type: 'LaunchRequest' });
    expect(launch.request.requestId).toMatch(/^amzn1\.echo-api\.request\./);
    expect(launch.request.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const intent = generate('alexa', 'intent', { intent: 'OrderIntent', slots: ['size=large'] }, ctx) as any;
    expect(intent.request.intent).toEqual({
      name: 'OrderIntent',
      confirmationStatus: 'NONE',
      slots: { size: { name: 'size', value: 'large', confirmationStatus: 'NONE', source: 'USER' } },
    });
    expect(intent.request.dialogState).toBe('COMPLETED');
    const ended = generate('alexa', 'session-ended', { reason: 'error' }, ctx) as any;
    expect(ended.request.reason).toBe('ERROR');
    expect(ended.request.error.type).toBeDefined();
    expect(() => generate('alexa', 'session-ended', { reason: 'bored' }, ctx)).toThrow(/reason/);
  });
});

it('md5 helper sanity: node:crypto md5 of empty string', () => {
  expect(createHash('md5').update('').digest('hex')).toBe('d41d8cd98f00b204e9800998ecf8427e');
});
