/**
 * S3 event notifications, one record per event as S3 sends them (asynchronous invoke).
 *
 * Rules reproduced (S3 user guide, "Event message structure"):
 * - the key is form-URL-encoded (space → `+`, `/` kept);
 * - `size` and `eTag` are absent on deletes (ObjectRemoved:*, LifecycleExpiration:*);
 * - `sequencer` is present only on ObjectCreated:* and ObjectRemoved:* and, for one key, grows
 *   with time: here 12 hex digits of the event time in ms then 6 of the index, so later events of
 *   the same key always compare greater;
 * - `versionId` only for versioned buckets (delete markers imply one);
 * - `glacierEventData` only on ObjectRestore:Completed; S3 itself is the requester of lifecycle
 *   and replication events;
 * - a notification configuration's key filter (`prefix`, `suffix`: S3 `Filter.S3Key.Rules`) decides
 *   which keys are notified at all: generated keys satisfy it, and a `key` that cannot is an error
 *   (S3 would never send that event).
 */
import type { S3EventRecord } from 'aws-lambda';
import { DEFAULT_REGION, hash32, isoMs } from './common.js';
import { type Build, definePushSource, type TypeDef } from './define.js';
import { s3EncodeKey } from './encoding.js';
import { parseSizeRange } from './options.js';
import { chars, hex, int, ipv4, pick, randomBase64, upperChars } from './random.js';

export interface S3NotificationObject {
  key: string;
  size?: number;
  eTag?: string;
  versionId?: string;
  sequencer?: string;
}

/** An S3 record as AWS sends it: @types/aws-lambda's, but size/eTag/sequencer optional as in reality. */
export type S3NotificationRecord = Omit<S3EventRecord, 's3'> & {
  s3: Omit<S3EventRecord['s3'], 'object'> & { object: S3NotificationObject };
  replicationEventData?: Record<string, string>;
  intelligentTieringEventData?: { destinationAccessTier: string };
  lifecycleEventData?: { transitionEventData: { destinationStorageClass: string } };
};

export interface S3NotificationEvent {
  Records: S3NotificationRecord[];
}

const t = (name: string, description: string, aliases: string[]): TypeDef => ({
  name,
  description,
  aliases: [...aliases, `s3:${name}`],
});

const TYPES: readonly TypeDef[] = [
  t('ObjectCreated:Put', 'an object uploaded with PUT', ['put', 'created']),
  t('ObjectCreated:Post', 'an object uploaded with a browser POST form', ['post']),
  t('ObjectCreated:Copy', 'an object created by CopyObject', ['copy']),
  t('ObjectCreated:CompleteMultipartUpload', 'a multipart upload completed', ['multipart', 'complete']),
  t('ObjectRemoved:Delete', 'an object deleted (unversioned, or a version deleted)', ['delete', 'removed']),
  t('ObjectRemoved:DeleteMarkerCreated', 'a delete marker created in a versioned bucket', ['delete-marker']),
  t('ObjectRestore:Post', 'a restore from an archive tier started', ['restore', 'restore-post']),
  t('ObjectRestore:Completed', 'a restore from an archive tier completed', ['restore-completed']),
  t('ObjectRestore:Delete', 'a restored copy expired', ['restore-delete']),
  t('ObjectTagging:Put', 'tags added or replaced', ['tagging-put', 'tagging']),
  t('ObjectTagging:Delete', 'tags removed', ['tagging-delete']),
  t('ObjectAcl:Put', 'an object ACL set', ['acl-put', 'acl']),
  t('LifecycleExpiration:Delete', 'a lifecycle rule deleted an object', ['expiration', 'lifecycle-delete']),
  t('LifecycleExpiration:DeleteMarkerCreated', 'a lifecycle rule created a delete marker', [
    'expiration-marker',
  ]),
  t('LifecycleTransition', 'a lifecycle rule moved an object to another storage class', ['transition']),
  t('IntelligentTiering', 'an object moved to an Intelligent-Tiering archive tier', ['tiering']),
  t('ReducedRedundancyLostObject', 'an RRS object was lost', ['rrs-lost']),
  t('Replication:OperationFailedReplication', 'an object failed to replicate', ['replication-failed']),
  t('Replication:OperationMissedThreshold', 'replication exceeded the 15-minute RTC threshold', [
    'replication-missed',
  ]),
  t('Replication:OperationReplicatedAfterThreshold', 'replicated after the RTC threshold', [
    'replication-late',
  ]),
  t('Replication:OperationNotTracked', 'replication no longer tracked by RTC metrics', [
    'replication-untracked',
  ]),
];

const OPTIONS = [
  'bucket',
  'key',
  'prefix',
  'suffix',
  'size',
  'eTag',
  'versioned',
  'versionId',
  'sequencer',
  'region',
  'configurationId',
  'principalId',
  'sourceIp',
  'requestId',
  'eventVersion',
  'storageClass',
] as const;

/** Deletes carry no size or eTag; only PUT-like and DELETE-like events carry a sequencer. */
const isDelete = (type: string) =>
  type.startsWith('ObjectRemoved:') || type.startsWith('LifecycleExpiration:');
const hasSequencer = (type: string) => type.startsWith('ObjectCreated:') || type.startsWith('ObjectRemoved:');
const byS3Itself = (type: string) =>
  type.startsWith('Lifecycle') || type.startsWith('Replication:') || type === 'IntelligentTiering';

/**
 * S3 versioned its notification schema per feature: 2.1 for the original events, 2.2 for
 * replication, 2.3 for lifecycle, tiering, ACL, tagging and restore-delete.
 */
function eventVersionOf(type: string): string {
  let version = versions.get(type);
  if (version === undefined) {
    version = versionFor(type);
    versions.set(type, version);
  }
  return version;
}

const versions = new Map<string, string>();

function versionFor(type: string): string {
  if (type.startsWith('Replication:')) return '2.2';
  if (/^(Lifecycle|IntelligentTiering|ObjectAcl|ObjectTagging|ObjectRestore:Delete)/.test(type)) return '2.3';
  return '2.1';
}

const EXTENSIONS = ['jpg', 'png', 'pdf', 'json', 'csv', 'txt', 'mp4', 'parquet', 'gz', 'html'];
const STORAGE_CLASSES = ['GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR'];

/**
 * The object key: the `key` option, or a generated one that satisfies the notification's key
 * filter (starts with `prefix`, ends with `suffix`). S3 matches filter rules on the raw key, case
 * sensitively, before URL-encoding it into the event.
 */
function filteredKey(b: Build): string {
  const { o, r } = b;
  const prefix = o.string('prefix') ?? '';
  const suffix = o.string('suffix');
  const given = o.string('key');
  if (given !== undefined) {
    if (!given.startsWith(prefix) || (suffix !== undefined && !given.endsWith(suffix))) {
      const rule = [
        prefix && `prefix ${JSON.stringify(prefix)}`,
        suffix && `suffix ${JSON.stringify(suffix)}`,
      ]
        .filter(Boolean)
        .join(' and ');
      return o.fail(
        'key',
        `a key matching the notification filter (${rule}); S3 never notifies others`,
        given,
      );
    }
    return given;
  }
  const f = r.faker;
  const folder = prefix === '' || prefix.endsWith('/') ? `${f.word.noun()}/` : '';
  const name = `${prefix}${folder}${f.word.noun()}-${hex(r, 8)}`;
  return `${name}${suffix ?? `.${pick(r, EXTENSIONS)}`}`;
}

function build(b: Build): S3NotificationEvent {
  const { type, o, r } = b;
  const f = r.faker;
  const bucket = o.string('bucket') ?? `${f.word.noun()}-${f.word.adjective()}-${hex(r, 6)}`.toLowerCase();
  const key = filteredKey(b);
  const fromS3 = byS3Itself(type);
  const object: S3NotificationObject = { key: s3EncodeKey(key) };
  if (!isDelete(type)) {
    const range = parseSizeRange(o, 'size') ?? { min: 1024, max: 8 * 1024 * 1024 };
    object.size = Math.round(range.min + (range.max - range.min) * r.next() ** 3);
    object.eTag = o.string('eTag') ?? multipartETag(type, hex(r, 32), object.size);
  }
  const versioned = o.bool('versioned') ?? (o.has('versionId') || type.endsWith('DeleteMarkerCreated'));
  if (versioned) object.versionId = o.string('versionId') ?? chars(r, 32);
  if (hasSequencer(type)) object.sequencer = o.string('sequencer') ?? sequencer(b.now, b.index);

  const record: S3NotificationRecord = {
    eventVersion: o.string('eventVersion') ?? eventVersionOf(type),
    eventSource: 'aws:s3',
    awsRegion: o.string('region') ?? DEFAULT_REGION,
    eventTime: isoMs(b.now),
    eventName: type,
    userIdentity: {
      principalId: o.string('principalId') ?? (fromS3 ? 's3.amazonaws.com' : `AWS:AIDA${upperChars(r, 17)}`),
    },
    requestParameters: { sourceIPAddress: o.string('sourceIp') ?? (fromS3 ? 's3.amazonaws.com' : ipv4(r)) },
    responseElements: {
      'x-amz-request-id': o.string('requestId') ?? hex(r, 16).toUpperCase(),
      'x-amz-id-2': randomBase64(r, 57),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: o.string('configurationId') ?? `${type.split(':')[0]?.toLowerCase()}-to-lambda`,
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: ownerOf(bucket) },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object,
    },
  };
  addTypeData(record, b);
  return { Records: [record] };
}

/** Multipart eTags are the MD5 of the part MD5s followed by `-<parts>` (8 MiB parts assumed). */
function multipartETag(type: string, md5: string, size: number): string {
  if (type !== 'ObjectCreated:CompleteMultipartUpload') return md5;
  return `${md5}-${Math.max(1, Math.ceil(size / (8 * 1024 * 1024)))}`;
}

/** 18 upper-case hex digits: event time (ms) then the index, so one key's events only grow. */
export function sequencer(nowMs: number, index: number): string {
  const time = Math.max(0, Math.floor(nowMs)).toString(16).padStart(12, '0').slice(-12);
  const seq = (index % 0x1000000).toString(16).padStart(6, '0');
  return `${time}${seq}`.toUpperCase();
}

const owners = new Map<string, string>();

/** The bucket owner's canonical id is stable per bucket name (cached: buckets are few). */
function ownerOf(bucket: string): string {
  let owner = owners.get(bucket);
  if (owner === undefined) {
    owner = `A${hash32(bucket).toString(36).toUpperCase().padStart(7, '0')}${hash32(`${bucket}#`).toString(36).toUpperCase()}`;
    if (owners.size > 1000) owners.clear();
    owners.set(bucket, owner);
  }
  return owner;
}

function addTypeData(record: S3NotificationRecord, b: Build): void {
  const { type, o, r } = b;
  const storageClass = o.string('storageClass') ?? pick(r, STORAGE_CLASSES);
  if (type === 'ObjectRestore:Completed') {
    record.glacierEventData = {
      restoreEventData: {
        lifecycleRestorationExpiryTime: isoMs(b.now + int(r, 1, 30) * 86_400_000),
        lifecycleRestoreStorageClass: storageClass,
      },
    };
  } else if (type === 'LifecycleTransition') {
    record.lifecycleEventData = { transitionEventData: { destinationStorageClass: storageClass } };
  } else if (type === 'IntelligentTiering') {
    record.intelligentTieringEventData = {
      destinationAccessTier: pick(r, ['ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS']),
    };
  } else if (type.startsWith('Replication:')) {
    record.replicationEventData = {
      replicationRuleId: `rule-${hex(r, 8)}`,
      destinationBucket: `arn:aws:s3:::${record.s3.bucket.name}-replica`,
      s3Operation: 'OBJECT_PUT',
      requestTime: isoMs(b.now - int(r, 1_000, 900_000)),
      failureReason: type.endsWith('FailedReplication') ? 'AssumeRoleNotPermitted' : '',
      threshold: '15',
      replicationTime: '',
    };
  }
}

export const s3Generator = definePushSource<S3NotificationEvent>({
  source: 's3',
  description: 'S3 event notifications (every event name), keys form-encoded as S3 sends them',
  types: TYPES,
  defaultType: 'ObjectCreated:Put',
  options: OPTIONS,
  build,
});
