import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const run = runCli;

describe('lambench events', () => {
  it('prints one pretty event with the given options', async () => {
    const { code, out } = await run('events', 's3', 'put', '--bucket', 'photos', '--key', 'red flower.jpg');
    expect(code).toBe(0);
    expect(out).toContain('\n  "Records"');
    const event = JSON.parse(out);
    expect(event.Records[0].s3.bucket.name).toBe('photos');
    expect(event.Records[0].s3.object.key).toBe('red+flower.jpg');
  });

  it('prints one line per event with --count, the same for the same seed', async () => {
    const a = await run(
      'events',
      'sns',
      '--topic',
      'orders',
      '--message',
      'hi',
      '--count',
      '3',
      '--seed',
      '9',
    );
    const lines = a.out.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(JSON.parse(line).Records[0].Sns.Message).toBe('hi');
    expect(
      (await run('events', 'sns', '--topic', 'orders', '--message', 'hi', '--count', '3', '--seed', '9')).out,
    ).toBe(a.out);
  });

  it('maps kebab-case flags and prints a kinesis batch per shard with ordered sequence numbers', async () => {
    const { code, out } = await run(
      'events',
      'kinesis',
      '--partition-key',
      '007',
      '--count',
      '5',
      '--stream',
      's',
    );
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const records = JSON.parse(lines[0] ?? '').Records;
    expect(records).toHaveLength(5);
    expect(records[0].kinesis.partitionKey).toBe('007');
    const seqs = records.map((r: { kinesis: { sequenceNumber: string } }) =>
      BigInt(r.kinesis.sequenceNumber),
    );
    for (let i = 1; i < seqs.length; i++) expect(seqs[i] > seqs[i - 1]).toBe(true);
    const split = await run('events', 'kinesis', '--count', '40', '--shards', '4', '--batch-size', '100');
    expect(split.out.trim().split('\n')).toHaveLength(4);
  });

  it('takes repeated k=v flags for headers and slots', async () => {
    const api = JSON.parse(
      (
        await run(
          'events',
          'apigateway',
          'http',
          '--method',
          'GET',
          '--path',
          '/p',
          '--header',
          'X-A=1',
          '--header',
          'x-a=2',
        )
      ).out,
    );
    expect(api.headers['x-a']).toBe('1,2');
    const alexa = JSON.parse(
      (await run('events', 'alexa', 'intent', '--intent', 'Order', '--slot', 'size=large')).out,
    );
    expect(alexa.request.intent.slots.size.value).toBe('large');
  });

  it('lists every source and type', async () => {
    const { code, out } = await run('events', '--list');
    expect(code).toBe(0);
    for (const s of [
      's3',
      'sns',
      'apigateway',
      'kinesis',
      'dynamodb',
      'sqs',
      'eventbridge',
      'cloudformation',
      'alexa',
    ]) {
      expect(out).toMatch(new RegExp(`^${s} `, 'm'));
    }
    expect(out).toContain('ObjectRemoved:DeleteMarkerCreated');
    expect(out).toContain('SessionEndedRequest');
  });

  it.each([
    [
      ['events', 'kinesys'],
      /unknown event source "kinesys" \(did you mean "kinesis"\?\); valid sources: s3, sns/,
    ],
    [
      ['events', 's3', 'pt'],
      /unknown s3 event type "pt" \(did you mean "put"\?\); valid types: ObjectCreated:Put/,
    ],
    [
      ['events', 'kinesis', '--partiton-key', 'x'],
      /unknown kinesis option "--partiton-key" \(did you mean "--partition-key"\?\)/,
    ],
    [['events', 'sqs', '--count', 'many'], /--count/],
  ])('exits 2 with one line for %j', async (argv, message) => {
    const { code, out, err } = await run(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(message);
  });
});
