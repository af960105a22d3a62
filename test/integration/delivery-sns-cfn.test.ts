import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import {
  createAsyncDelivery,
  createCloudFormationDelivery,
  createSnsFanout,
  type ResponseEndpoint,
  startResponseEndpoint,
  withResponseUrl,
} from '../../src/delivery/index.js';
import { type LocalFunctions, startLocalFunctions } from '../fixtures/delivery/local-functions.js';
import { RecordingSink } from '../unit/delivery/helpers/recording-sink.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders';

function snsEvent(message: object, attributes: Record<string, { Type: string; Value: string }>): string {
  return JSON.stringify({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${TOPIC}:placeholder`,
        Sns: {
          Type: 'Notification',
          TopicArn: TOPIC,
          Message: JSON.stringify(message),
          MessageAttributes: attributes,
        },
      },
    ],
  });
}

function cfnEvent(knobs: object): string {
  return JSON.stringify({
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:cfn-fn',
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/placeholder',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1f2e',
    RequestId: 'b3c5e0a6-9e1a-4b63-8a5a-0c1d2e3f4a5b',
    ResourceType: 'Custom::Thing',
    LogicalResourceId: 'Thing',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:cfn-fn' },
    ...knobs,
  });
}

describe('SNS fan-out and CloudFormation against the local emulator', () => {
  let fns: LocalFunctions;
  let endpoint: ResponseEndpoint;
  beforeAll(async () => {
    fns = await startLocalFunctions([{ name: 'orders-red' }, { name: 'orders-big' }, { name: 'cfn-fn' }]);
    endpoint = await startResponseEndpoint();
  });
  afterAll(async () => {
    await endpoint?.close();
    await fns?.close();
  });

  it('routes each message to the subscriptions whose filter policy matches', async () => {
    // Prepare: one subscription on attributes, one on the message body.
    const sink = new RecordingSink();
    const ctx = (name: string) => ({
      target: fns.target,
      sink,
      clock: systemClock,
      key: fns.keyFor(name, 'sns'),
    });
    const fanout = createSnsFanout(sink, [
      { delivery: createAsyncDelivery(ctx('orders-red')), filterPolicy: { color: ['red'] } },
      {
        delivery: createAsyncDelivery(ctx('orders-big')),
        filterPolicy: { order: { total: [{ numeric: ['>', 100] }] } },
        filterPolicyScope: 'MessageBody',
      },
    ]);
    const now = systemClock.now();
    // Act
    await Promise.all([
      fanout.publish(
        1,
        now,
        snsEvent({ order: { total: 500 } }, { color: { Type: 'String', Value: 'red' } }),
      ),
      fanout.publish(2, now, snsEvent({ order: { total: 5 } }, { color: { Type: 'String', Value: 'red' } })),
      fanout.publish(
        3,
        now,
        snsEvent({ order: { total: 101 } }, { color: { Type: 'String', Value: 'blue' } }),
      ),
      fanout.publish(
        4,
        now,
        snsEvent({ order: { total: 1 } }, { color: { Type: 'String', Value: 'green' } }),
      ),
    ]);
    await fanout.settled();
    // Assess
    const ids = (fn: string, list: Array<{ key: { functionName: string }; eventId: number }>) =>
      list
        .filter((r) => r.key.functionName === fn)
        .map((r) => r.eventId)
        .sort();
    expect(ids('orders-red', sink.arrivals)).toEqual([1, 2]);
    expect(ids('orders-red', sink.filteredOut)).toEqual([3, 4]);
    expect(ids('orders-big', sink.arrivals)).toEqual([1, 3]);
    expect(ids('orders-big', sink.filteredOut)).toEqual([2, 4]);
    expect(sink.outcomes).toHaveLength(4);
    expect(sink.outcomes.every((o) => o.bucket === 'succeeded')).toBe(true);
    // Each subscription sees its own EventSubscriptionArn (the handler echoes it back).
    const subscriptionOf = (fn: string) =>
      new Set(
        sink.attempts
          .filter((a) => a.key.functionName === fn)
          .map((a) => JSON.parse(new TextDecoder().decode(a.result.payload)).subscription),
      );
    const red = [...subscriptionOf('orders-red')];
    const big = [...subscriptionOf('orders-big')];
    expect(red).toHaveLength(1);
    expect(big).toHaveLength(1);
    expect(red[0]).toMatch(new RegExp(`^${TOPIC}:[0-9a-f-]{36}$`));
    expect(red[0]).not.toBe(big[0]);
  });

  async function cfn(knobs: object, eventId: number, responseTimeoutMs = 20_000) {
    const sink = new RecordingSink();
    const delivery = createCloudFormationDelivery(
      { target: fns.target, sink, clock: systemClock, key: fns.keyFor('cfn-fn', 'cloudformation') },
      { endpoint, responseTimeoutMs, config: { maximumRetryAttempts: 0 } },
    );
    const payload = withResponseUrl(cfnEvent(knobs), endpoint.urlFor(eventId, 'cloudformation'));
    await delivery.deliver(eventId, systemClock.now(), payload);
    await delivery.settled();
    return sink.outcomeOf(eventId);
  }

  it('CloudFormation SUCCESS → succeeded', async () => {
    expect(await cfn({ cfn: 'SUCCESS' }, 1)).toMatchObject({ bucket: 'succeeded', attempts: 1 });
  });

  it('CloudFormation FAILED → failed with the reason', async () => {
    expect(await cfn({ cfn: 'FAILED' }, 2)).toMatchObject({
      bucket: 'failed',
      reason: 'FAILED: quota exceeded',
    });
  });

  it('no response within the timeout → failed, naming the wait and the function result', async () => {
    const outcome = await cfn({ cfn: 'none' }, 3, 300);
    expect(outcome?.bucket).toBe('failed');
    // The function's own result is named when it ended before the wait did (timing-dependent).
    expect(outcome?.reason).toMatch(/^no response within 300 ms(; function succeeded)?$/);
  });

  it('an oversized or mis-echoed response → failed, naming the problem', async () => {
    expect((await cfn({ cfn: 'oversized' }, 4))?.reason).toMatch(
      /^invalid response: response body is \d+ bytes; .* 4096/,
    );
    expect((await cfn({ cfn: 'wrong-stack' }, 5))?.reason).toMatch(
      /^invalid response: StackId .* does not echo/,
    );
  });
});
