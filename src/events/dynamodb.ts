/**
 * DynamoDB Streams records as the event source mapping delivers them.
 *
 * Rules reproduced (DynamoDB Streams API reference, StreamRecord; Lambda "Using Lambda with
 * DynamoDB"): INSERT has no OldImage, REMOVE no NewImage; StreamViewType decides which images
 * appear; numbers are strings in attribute-value JSON; ApproximateCreationDateTime is epoch
 * seconds; TTL deletes carry userIdentity {type: "Service", principalId: "dynamodb.amazonaws.com"}.
 *
 * Which item an index writes (see dynamodb-image.ts for why this needs no state):
 * - mixed (default): key = index mod keyCount, version = index div keyCount; versions cycle
 *   INSERT, MODIFY, MODIFY, MODIFY, REMOVE, so a key is inserted, updated and removed in order;
 * - modify: the same keys, every write a MODIFY from version v to v+1;
 * - insert and remove: a fresh key per index.
 * SequenceNumber grows with the index (21 digits), so it is ordered within the stream's shard.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { arn, DEFAULT_ACCOUNT, DEFAULT_REGION, hash32 } from './common.js';
import { type Build, definePullSource } from './define.js';
import { type Image, imageOf, keysOf, type TableShape } from './dynamodb-image.js';
import { hex, int } from './random.js';

const OPTIONS = [
  'table',
  'keyCount',
  'keyName',
  'item',
  'streamViewType',
  'ttl',
  'region',
  'account',
] as const;
const VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;
type ViewType = (typeof VIEW_TYPES)[number];
type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** The record shape with the fields AWS always sends made required. */
export type StreamChangeRecord = DynamoDBRecord & { dynamodb: StreamRecord; eventName: EventName };

interface Write {
  eventName: EventName;
  keyIndex: number;
  version: number;
}

/** Which key and version an index writes, per the rules in the header comment. */
export function writeOf(type: string, index: number, keyCount: number): Write {
  if (type === 'insert') return { eventName: 'INSERT', keyIndex: index, version: 0 };
  if (type === 'remove') return { eventName: 'REMOVE', keyIndex: index, version: 1 };
  const keyIndex = index % keyCount;
  const round = Math.floor(index / keyCount);
  if (type === 'modify') return { eventName: 'MODIFY', keyIndex, version: round + 1 };
  const phase = round % 5;
  const eventName = phase === 0 ? 'INSERT' : phase === 4 ? 'REMOVE' : 'MODIFY';
  return { eventName, keyIndex, version: round };
}

function record(b: Build): StreamChangeRecord {
  const { o, r } = b;
  const region = o.string('region') ?? DEFAULT_REGION;
  const account = o.string('account') ?? DEFAULT_ACCOUNT;
  const table = o.string('table') ?? 'lambench-table';
  const keyCount = o.number('keyCount', { min: 1, max: 1e9, integer: true }) ?? 10;
  const view = (o.string('streamViewType') ?? 'NEW_AND_OLD_IMAGES').toUpperCase() as ViewType;
  if (!VIEW_TYPES.includes(view)) o.fail('streamViewType', VIEW_TYPES.join(', '), o.raw('streamViewType'));
  const shape: TableShape = {
    seed: b.seed,
    keyName: o.string('keyName') ?? 'id',
    item: o.raw('item'),
    nowMs: b.now,
  };
  const write = writeOf(b.type, b.index, keyCount);
  const keys = keysOf(shape, write.keyIndex);
  const dynamodb: StreamRecord = {
    ApproximateCreationDateTime: Math.floor(b.now / 1000),
    Keys: keys,
  };
  const showNew = view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES';
  const showOld = view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES';
  let images: Image[] = [keys];
  if (showNew && write.eventName !== 'REMOVE') {
    dynamodb.NewImage = imageOf(shape, write.keyIndex, write.version, b.index);
    images = [...images, dynamodb.NewImage];
  }
  if (showOld && write.eventName !== 'INSERT') {
    dynamodb.OldImage = imageOf(shape, write.keyIndex, write.version - 1, b.index - keyCount);
    images = [...images, dynamodb.OldImage];
  }
  dynamodb.SequenceNumber = sequenceNumberOf(table, b.seed, b.index, int(r, 0, 99));
  // DynamoDB counts attribute names and values; the JSON length is a close, stable stand-in.
  dynamodb.SizeBytes = images.reduce((n, img) => n + JSON.stringify(img).length, 0);
  dynamodb.StreamViewType = view;
  const rec: StreamChangeRecord = {
    eventID: hex(r, 32),
    eventName: write.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
    eventSourceARN: arn('dynamodb', region, account, `table/${table}/stream/2025-01-01T00:00:00.000`),
  };
  const ttl = o.bool('ttl') ?? (b.type === 'mixed' && r.next() < 0.3);
  if (write.eventName === 'REMOVE' && ttl)
    rec.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
  return rec;
}

/** 21 digits: 6 from table and seed, then 15 of index × 100 + jitter (ordered by index). */
export function sequenceNumberOf(table: string, seed: number, index: number, jitter: number): string {
  const prefix = String(100000 + (hash32(`${table}|${seed}`) % 900000));
  return `${prefix}${String(index * 100 + jitter).padStart(15, '0')}`;
}

export const dynamodbGenerator = definePullSource<DynamoDBStreamEvent, StreamChangeRecord>({
  source: 'dynamodb',
  description: 'DynamoDB Streams records with images consistent with a simulated table',
  types: [
    {
      name: 'mixed',
      description: 'keys inserted, modified and removed in order',
      aliases: ['update', 'stream'],
    },
    { name: 'insert', description: 'new items (no OldImage)', aliases: [] },
    {
      name: 'modify',
      description: 'updates: OldImage is the previous NewImage of the key',
      aliases: ['update-item'],
    },
    {
      name: 'remove',
      description: 'deletes (no NewImage); --ttl marks them as TTL expiries',
      aliases: ['delete'],
    },
  ],
  defaultType: 'mixed',
  options: OPTIONS,
  rawOptions: ['item'],
  record,
  wrap: (records) => ({ Records: records }),
  shardOf: (rec) => rec.eventSourceARN ?? '',
});
