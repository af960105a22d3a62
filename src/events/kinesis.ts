/**
 * Kinesis Data Streams records as the event source mapping delivers them.
 *
 * Rules reproduced (Lambda developer guide "Using Lambda with Kinesis"; Kinesis API reference):
 * - the shard is chosen as Kinesis does: the MD5 of the partition key, read as a 128-bit integer,
 *   falls into one of N equal hash-key ranges (CreateStream splits 0…2^128−1 evenly, each range
 *   floor(2^128 / N) wide, the last one taking the remainder);
 * - `sequenceNumber` is a 56-digit decimal string; for one shard it grows with the index because
 *   the last 15 digits are index × 1000 plus jitter, so records of a shard are strictly ordered
 *   whichever calls produced them;
 * - `data` is base64, `approximateArrivalTimestamp` is epoch seconds with milliseconds (float);
 * - `eventID` is `<shardId>:<sequenceNumber>`; a record is at most 1 MiB (data plus key).
 */
// crypto.hash is the one-shot digest (Node 20.12+): several times cheaper than createHash for small inputs.
import { hash } from 'node:crypto';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { InputError } from '../core/errors.js';
import { arn, DEFAULT_ACCOUNT, DEFAULT_REGION, hash32 } from './common.js';
import { type Build, definePullSource } from './define.js';
import { enforceLimit, Limits } from './limits.js';
import { hex, int, pick, uuid } from './random.js';

const OPTIONS = [
  'stream',
  'shards',
  'partitionKey',
  'explicitHashKey',
  'data',
  'region',
  'account',
  'role',
] as const;

const TWO_128 = 1n << 128n;
const MAX_SHARDS = 10_000;

/** The shard index (0-based) that owns a partition key among `shards` evenly split shards. */
export function shardForKey(partitionKey: string, shards: number, explicitHashKey?: string): number {
  if (shards === 1) return 0;
  const md5 = explicitHashKey === undefined ? hash('md5', partitionKey, 'hex') : '';
  if (md5) {
    // Fast path: the top 52 bits place the key exactly unless it sits right at a range boundary.
    const approx = (Number.parseInt(md5.slice(0, 13), 16) / 2 ** 52) * shards;
    const shard = Math.floor(approx);
    if (approx - shard > 1e-6 && shard + 1 - approx > 1e-6) return Math.min(shard, shards - 1);
  }
  const hashKey = explicitHashKey !== undefined ? BigInt(explicitHashKey) : BigInt(`0x${md5}`);
  const width = TWO_128 / BigInt(shards);
  const shard = Number(hashKey / width);
  return Math.min(shard, shards - 1);
}

export function shardId(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

const ACTIONS = ['view', 'click', 'scroll', 'add_to_cart', 'purchase', 'search'];

function record(b: Build): KinesisStreamRecord {
  const { o, r } = b;
  const region = o.string('region') ?? DEFAULT_REGION;
  const account = o.string('account') ?? DEFAULT_ACCOUNT;
  const stream = o.string('stream') ?? 'lambench-stream';
  const streamArn = stream.startsWith('arn:') ? stream : arn('kinesis', region, account, `stream/${stream}`);
  const shards = o.number('shards', { min: 1, max: MAX_SHARDS, integer: true }) ?? 1;
  const partitionKey = o.string('partitionKey') ?? uuid(r);
  if (partitionKey.length < 1 || partitionKey.length > 256) {
    o.fail('partitionKey', 'a key of 1 to 256 characters (Kinesis limit)', partitionKey);
  }
  const data = dataOf(b);
  enforceLimit('kinesis', data.length + Buffer.byteLength(partitionKey), Limits.kinesisRecord);
  const explicit = o.string('explicitHashKey');
  if (explicit !== undefined && !/^\d{1,39}$/.test(explicit))
    o.fail('explicitHashKey', 'a decimal 128-bit integer', explicit);
  if (explicit !== undefined && BigInt(explicit) >= TWO_128)
    o.fail('explicitHashKey', 'a value below 2^128', explicit);
  const shard = shardForKey(partitionKey, shards, explicit);
  const sequenceNumber = sequenceNumberOf(streamArn, b.seed, shard, b.index, int(r, 0, 999));
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber,
      data: data.toString('base64'),
      approximateArrivalTimestamp: Math.round(b.now) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId(shard)}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: o.string('role') ?? `arn:aws:iam::${account}:role/lambench-kinesis-consumer`,
    awsRegion: region,
    eventSourceARN: streamArn,
  };
}

/** Record bytes: a string as UTF-8, an object as JSON; by default a click-stream JSON event. */
function dataOf(b: Build): Buffer {
  const given = b.o.json('data');
  if (typeof given === 'string') return Buffer.from(given, 'utf8');
  if (given !== undefined && given !== null) return Buffer.from(JSON.stringify(given), 'utf8');
  const { r } = b;
  return Buffer.from(
    JSON.stringify({
      userId: `u-${hex(r, 8)}`,
      action: pick(r, ACTIONS),
      page: `/${r.faker.word.noun()}/${int(r, 1, 9999)}`,
      at: Math.floor(b.now),
    }),
    'utf8',
  );
}

/**
 * 56 digits: "49", 10 from the stream, 10 from the seed, 3 for the shard, 16 of padding from the
 * stream, then 15 of index × 1000 + jitter (valid up to index 10^12).
 */
export function sequenceNumberOf(
  streamArn: string,
  seed: number,
  shard: number,
  index: number,
  jitter: number,
): string {
  if (index >= 1e12)
    throw new InputError('EVENT_OPTION', 'kinesis: index too large for a sequence number (max 10^12)');
  const cacheKey = `${streamArn}|${seed}|${shard}`;
  let prefix = prefixes.get(cacheKey);
  if (prefix === undefined) {
    prefix = `49${String(hash32(streamArn)).padStart(10, '0')}${String(hash32(`seed:${seed}`)).padStart(10, '0')}${String(
      shard % 1000,
    ).padStart(3, '0')}${String(hash32(`${streamArn}#${shard}`)).padStart(16, '0')}`;
    if (prefixes.size > 10_000) prefixes.clear();
    prefixes.set(cacheKey, prefix);
  }
  return `${prefix}${String(index * 1000 + jitter).padStart(15, '0')}`;
}

const prefixes = new Map<string, string>();

export const kinesisGenerator = definePullSource<KinesisStreamEvent, KinesisStreamRecord>({
  source: 'kinesis',
  description: 'Kinesis Data Streams records: base64 data, shard by MD5 of the partition key',
  types: [{ name: 'record', description: 'a record put to a stream', aliases: ['put', 'get-records'] }],
  defaultType: 'record',
  options: OPTIONS,
  record,
  wrap: (records) => ({ Records: records }),
  shardOf: (rec) => rec.eventID.slice(0, rec.eventID.indexOf(':')),
});
