import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getBatchGenerator } from '../../../src/events/index.js';
import { shardForKey } from '../../../src/events/kinesis.js';
import { firstRecord } from './helpers.js';

const ctx = { seed: 5, index: 0 };

describe('kinesis', () => {
  it('has base64 data, float-second arrival time and an eventID of shard:sequence', () => {
    const r = firstRecord('kinesis', undefined, { data: 'hello', partitionKey: 'p1', stream: 'clicks' }, 3);
    expect(r).toMatchObject({
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventName: 'aws:kinesis:record',
      awsRegion: 'us-east-1',
    });
    expect(r.kinesis.kinesisSchemaVersion).toBe('1.0');
    expect(Buffer.from(r.kinesis.data, 'base64').toString()).toBe('hello');
    expect(r.kinesis.sequenceNumber).toMatch(/^\d{56}$/);
    expect(r.eventID).toBe(`shardId-000000000000:${r.kinesis.sequenceNumber}`);
    expect(r.eventSourceARN).toBe('arn:aws:kinesis:us-east-1:123456789012:stream/clicks');
    expect(r.invokeIdentityArn).toMatch(/^arn:aws:iam::123456789012:role\//);
    const t = r.kinesis.approximateArrivalTimestamp;
    expect(Number.isInteger(t)).toBe(false);
    expect(Math.round(t * 1000) / 1000).toBe(t);
  });

  it('JSON-encodes object data and renders templates in its string leaves', () => {
    const r = firstRecord(
      'kinesis',
      undefined,
      { data: { page: '{{ faker.internet.url }}', n: '{{ index }}' } },
      4,
    );
    const data = JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString());
    expect(data.page).toMatch(/^https?:\/\//);
    expect(data.n).toBe(4);
  });

  it('picks the shard from the MD5 of the partition key over even hash-key ranges', () => {
    for (const key of ['a', 'user-1', 'zzz', '42', 'ünï']) {
      const hashKey = BigInt(`0x${createHash('md5').update(key).digest('hex')}`);
      const expected = Number((hashKey * 4n) >> 128n);
      expect(shardForKey(key, 4)).toBe(expected);
      expect(
        firstRecord('kinesis', undefined, { partitionKey: key, shards: 4 }).eventID.startsWith(
          `shardId-00000000000${expected}:`,
        ),
      ).toBe(true);
    }
    expect(shardForKey('x', 3, '340282366920938463463374607431768211455')).toBe(2);
    expect(shardForKey('x', 3, '0')).toBe(0);
  });

  it('keeps sequence numbers increasing per shard across a batch', () => {
    const records = getBatchGenerator('kinesis').batch(300, { shards: 4 }, ctx) as any[];
    const byShard = new Map<string, bigint[]>();
    for (const r of records) {
      const shard = r.eventID.split(':')[0];
      byShard.set(shard, [...(byShard.get(shard) ?? []), BigInt(r.kinesis.sequenceNumber)]);
    }
    expect(byShard.size).toBe(4);
    for (const seqs of byShard.values())
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
  });

  it('refuses records over 1 MiB and partition keys over 256 characters', () => {
    expect(() => firstRecord('kinesis', undefined, { data: 'x'.repeat(1024 * 1024) })).toThrow(
      /Kinesis record limit of 1 MiB/,
    );
    expect(() => firstRecord('kinesis', undefined, { partitionKey: 'k'.repeat(257) })).toThrow(
      /partitionKey/,
    );
  });
});

describe('dynamodb streams', () => {
  const batch = (n: number, options = {}, type?: string) =>
    getBatchGenerator('dynamodb').batch(n, options, ctx, type) as any[];

  it('makes each MODIFY OldImage the previous NewImage of its key, across a batch', () => {
    const last = new Map<string, unknown>();
    let modifies = 0;
    for (const r of batch(120, { keyCount: 4 })) {
      const key = r.dynamodb.Keys.id.S;
      if (r.eventName === 'INSERT') expect(r.dynamodb.OldImage).toBeUndefined();
      if (r.eventName === 'REMOVE') expect(r.dynamodb.NewImage).toBeUndefined();
      if (r.eventName !== 'INSERT') {
        expect(r.dynamodb.OldImage).toEqual(last.get(key));
        modifies++;
      }
      last.set(key, r.eventName === 'REMOVE' ? undefined : r.dynamodb.NewImage);
    }
    expect(modifies).toBeGreaterThan(50);
  });

  it('writes numbers as strings and keeps sequence numbers increasing', () => {
    const records = batch(30, {}, 'modify');
    for (const r of records) {
      expect(r.eventName).toBe('MODIFY');
      expect(typeof r.dynamodb.NewImage.score.N).toBe('string');
      expect(r.dynamodb.SequenceNumber).toMatch(/^\d{21}$/);
      expect(Number.isInteger(r.dynamodb.ApproximateCreationDateTime)).toBe(true);
      expect(r.dynamodb.SizeBytes).toBeGreaterThan(0);
      expect(r.eventSourceARN).toMatch(
        /^arn:aws:dynamodb:us-east-1:123456789012:table\/lambench-table\/stream\//,
      );
    }
    const seqs = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
  });

  it.each([
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
    ['NEW_AND_OLD_IMAGES', true, true],
  ])('honours StreamViewType %s', (view, hasNew, hasOld) => {
    const r = firstRecord('dynamodb', 'modify', { streamViewType: view });
    expect(r.dynamodb.StreamViewType).toBe(view);
    expect(r.dynamodb.Keys).toBeDefined();
    expect('NewImage' in r.dynamodb).toBe(hasNew);
    expect('OldImage' in r.dynamodb).toBe(hasOld);
  });

  it('marks TTL deletes with the DynamoDB service identity, and marshals a custom item', () => {
    const ttl = firstRecord('dynamodb', 'remove', { ttl: true });
    expect(ttl.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect('userIdentity' in firstRecord('dynamodb', 'remove', { ttl: false })).toBe(false);
    const r = firstRecord('dynamodb', 'insert', {
      item: { n: 5, ok: true, none: null, list: ['a'], map: { x: 1 } },
    });
    expect(r.dynamodb.NewImage).toMatchObject({
      n: { N: '5' },
      ok: { BOOL: true },
      none: { NULL: true },
      list: { L: [{ S: 'a' }] },
      map: { M: { x: { N: '1' } } },
    });
  });

  it('keeps templated items consistent between OldImage and the previous NewImage', () => {
    const records = batch(6, { keyCount: 2, item: { name: '{{ faker.person.firstName }}' } }, 'modify');
    expect(records[2].dynamodb.OldImage).toEqual(records[0].dynamodb.NewImage);
    expect(records[3].dynamodb.OldImage).toEqual(records[1].dynamodb.NewImage);
  });
});

describe('sqs', () => {
  it('has string attributes, the real MD5 of the body and the queue ARN', () => {
    const r = firstRecord('sqs', undefined, { body: 'hello world', queue: 'jobs' });
    expect(r.md5OfBody).toBe(createHash('md5').update('hello world').digest('hex'));
    expect(r).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:jobs',
      awsRegion: 'us-east-1',
    });
    expect(r.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof r.receiptHandle).toBe('string');
    for (const v of Object.values(r.attributes)) expect(typeof v).toBe('string');
    expect(r.attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(r.attributes.SentTimestamp)).toBeLessThanOrEqual(
      Number(r.attributes.ApproximateFirstReceiveTimestamp),
    );
    expect(r.attributes.MessageGroupId).toBeUndefined();
    expect('md5OfMessageAttributes' in r).toBe(false);
  });

  it('computes md5OfMessageAttributes with the SQS algorithm (documented sample)', () => {
    // AWS SDK sample: SellerName = "Example Store" (String) → cd28f3b68aeee4b2eac9c66f2f694b58.
    const r = firstRecord('sqs', undefined, { attributes: { SellerName: 'Example Store' } });
    expect(r.messageAttributes.SellerName).toEqual({
      stringValue: 'Example Store',
      stringListValues: [],
      binaryListValues: [],
      dataType: 'String',
    });
    expect(r.md5OfMessageAttributes).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
  });

  it('adds FIFO attributes with SequenceNumber increasing within each message group', () => {
    const records = getBatchGenerator('sqs').batch(60, { fifo: true, groups: 3 }, ctx) as any[];
    const byGroup = new Map<string, bigint[]>();
    for (const r of records) {
      expect(r.eventSourceARN.endsWith('.fifo')).toBe(true);
      expect(r.attributes.MessageDeduplicationId).toBe(createHash('sha256').update(r.body).digest('hex'));
      expect(r.attributes.SequenceNumber).toMatch(/^\d{20}$/);
      const g = r.attributes.MessageGroupId;
      byGroup.set(g, [...(byGroup.get(g) ?? []), BigInt(r.attributes.SequenceNumber)]);
    }
    expect(byGroup.size).toBe(3);
    for (const seqs of byGroup.values())
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    expect(() => firstRecord('sqs', undefined, { fifo: true, queue: 'plain' })).toThrow(/\.fifo/);
  });

  it('refuses messages over 256 KiB', () => {
    expect(() => firstRecord('sqs', undefined, { body: 'x'.repeat(256 * 1024 + 1) })).toThrow(
      /SQS message limit of 256 KiB/,
    );
  });
});
