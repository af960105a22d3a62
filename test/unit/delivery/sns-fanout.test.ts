import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { createAsyncDelivery } from '../../../src/delivery/async.js';
import { createSnsFanout } from '../../../src/delivery/sns-fanout.js';
import { key, RecordingSink } from './helpers/recording-sink.js';
import { ScriptedTarget } from './helpers/scripted-target.js';
import { VirtualClock } from './helpers/virtual-clock.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:t';
const event = (attributes: Record<string, { Type: string; Value: string }>) =>
  JSON.stringify({
    Records: [
      { EventSource: 'aws:sns', Sns: { TopicArn: TOPIC, Message: '{}', MessageAttributes: attributes } },
    ],
  });

function setup() {
  const clock = new VirtualClock();
  const target = new ScriptedTarget(clock, ['ok']);
  const sink = new RecordingSink();
  const sub = (fn: string) => createAsyncDelivery({ target, sink, clock, key: key('sns', fn) });
  return { clock, target, sink, sub };
}

describe('SNS fan-out', () => {
  it('reports arrivals for matching subscriptions and filtered for the rest, each with its own ARN', async () => {
    const { clock, target, sink, sub } = setup();
    const fanout = createSnsFanout(sink, [
      { delivery: sub('a'), filterPolicy: '{"kind":["x"]}' },
      { delivery: sub('b'), subscriptionArn: `${TOPIC}:fixed` },
    ]);
    const done = Promise.all([
      fanout.publish(1, 0, event({ kind: { Type: 'String', Value: 'x' } })),
      fanout.publish(2, 0, event({})),
    ]);
    await clock.runAll();
    await done;
    expect(sink.arrivals.map((a) => `${a.key.functionName}:${a.eventId}`).sort()).toEqual([
      'a:1',
      'b:1',
      'b:2',
    ]);
    expect(sink.filteredOut.map((a) => `${a.key.functionName}:${a.eventId}`)).toEqual(['a:2']);
    expect(sink.outcomes).toHaveLength(3);
    const arns = target.calls.map((c) => JSON.parse(String(c.req.payload)).Records[0].EventSubscriptionArn);
    expect(arns.filter((a) => a === `${TOPIC}:fixed`)).toHaveLength(2);
    expect(arns.find((a) => a !== `${TOPIC}:fixed`)).toMatch(new RegExp(`^${TOPIC}:[0-9a-f-]{36}$`));
  });

  it('rejects a malformed policy when the fan-out is built, before any message', () => {
    const { sink, sub } = setup();
    expect(() => createSnsFanout(sink, [{ delivery: sub('a'), filterPolicy: { kind: 'x' } }])).toThrow(
      InputError,
    );
  });

  it('rejects a payload that is not an SNS event without reporting an arrival', async () => {
    const { sink, sub } = setup();
    const fanout = createSnsFanout(sink, [{ delivery: sub('a') }]);
    await expect(fanout.publish(1, 0, '{"detail":{}}')).rejects.toThrow(/expected \{"Records":\[\{"Sns"/);
    expect(sink.arrivals).toHaveLength(0);
  });
});
