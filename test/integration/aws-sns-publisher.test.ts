/**
 * The SNS publisher of the aws target through the real @aws-sdk/client-sns against a server
 * speaking SNS's query protocol: batches of 10 with message attributes, retries of what SNS failed
 * on its side, no retry of what the sender got wrong, and every message accounted for.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBatchesOf, publishMessages } from '../../src/targets/aws/sns-publisher.js';
import { type SnsQueryServer, startSnsQueryServer } from '../helpers/sns-query-server.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders';
let server: SnsQueryServer;
let sns: SNSClient;

beforeAll(async () => {
  server = await startSnsQueryServer();
  sns = new SNSClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSNS', secretAccessKey: 'sns-secret' },
  });
});

afterAll(async () => {
  sns?.destroy();
  await server?.close();
});

describe('publishMessages', () => {
  it('publishes 23 messages in three PublishBatch calls with their attributes', async () => {
    const messages = Array.from({ length: 23 }, (_, i) => ({
      message: JSON.stringify({ order: i }),
      attributes: { color: i % 2 ? 'red' : 'blue', size: String(i) },
      ...(i === 0 ? { subject: 'first order' } : {}),
    }));
    const outcomes = await publishMessages(sns, TOPIC, messages);
    expect(outcomes.every((o) => o.ok && o.attempts === 1 && o.messageId?.startsWith('msg-'))).toBe(true);
    expect(server.calls).toEqual([10, 10, 3]);
    expect(server.received).toHaveLength(23);
    expect(server.received[0]).toEqual({
      topicArn: TOPIC,
      message: '{"order":0}',
      subject: 'first order',
      attributes: { color: 'blue', size: '0' },
    });
    expect(server.received[7]?.attributes).toEqual({ color: 'red', size: '7' });
  });

  it('retries entries SNS failed on its side, reports sender faults without retrying them', async () => {
    server.calls.length = 0;
    const outcomes = await publishMessages(
      sns,
      TOPIC,
      [{ message: 'fine' }, { message: 'transient hiccup' }, { message: 'invalid one' }],
      { sleep: async () => {} },
    );
    expect(outcomes[0]).toMatchObject({ ok: true, attempts: 1 });
    expect(outcomes[1]).toMatchObject({ ok: true, attempts: 2 });
    expect(outcomes[2]).toMatchObject({
      ok: false,
      attempts: 1,
      errorCode: 'InvalidParameter',
      senderFault: true,
    });
    expect(server.calls).toEqual([3, 1]);
  });

  it('keeps batches within 10 entries and 256 KiB', () => {
    const big = Array.from({ length: 5 }, () => ({ message: 'x'.repeat(100 * 1024) }));
    expect(publishBatchesOf(big).map((b) => b.length)).toEqual([2, 2, 1]);
    expect(
      publishBatchesOf(Array.from({ length: 21 }, () => ({ message: 'm' }))).map((b) => b.length),
    ).toEqual([10, 10, 1]);
  });
});
