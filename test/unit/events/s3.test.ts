import { describe, expect, it } from 'vitest';
import { getGenerator } from '../../../src/events/index.js';
import { firstRecord } from './helpers.js';

const s3 = getGenerator('s3');

describe('s3 notifications', () => {
  it('has every event name of the reference', () => {
    const names = s3.types.map((t) => t.name);
    for (const n of [
      'ObjectCreated:Put',
      'ObjectCreated:Post',
      'ObjectCreated:Copy',
      'ObjectCreated:CompleteMultipartUpload',
      'ObjectRemoved:Delete',
      'ObjectRemoved:DeleteMarkerCreated',
      'ObjectRestore:Post',
      'ObjectRestore:Completed',
      'ObjectRestore:Delete',
      'ObjectTagging:Put',
      'ObjectTagging:Delete',
      'LifecycleExpiration:Delete',
      'LifecycleExpiration:DeleteMarkerCreated',
      'LifecycleTransition',
      'ReducedRedundancyLostObject',
      'Replication:OperationFailedReplication',
    ])
      expect(names).toContain(n);
  });

  it.each(s3.types.map((t) => t.name))('%s has the fields S3 sends', (type) => {
    const r = firstRecord('s3', type, { bucket: 'photos', key: 'a b/c.jpg' });
    expect(r.eventSource).toBe('aws:s3');
    expect(r.eventName).toBe(type);
    expect(r.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(r.awsRegion).toBe('us-east-1');
    expect(typeof r.userIdentity.principalId).toBe('string');
    expect(typeof r.requestParameters.sourceIPAddress).toBe('string');
    expect(r.responseElements['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
    expect(r.responseElements['x-amz-id-2'].length).toBeGreaterThan(40);
    expect(r.s3.s3SchemaVersion).toBe('1.0');
    expect(r.s3.bucket).toMatchObject({ name: 'photos', arn: 'arn:aws:s3:::photos' });
    expect(r.s3.object.key).toBe('a+b/c.jpg');
    const isDelete = /^(ObjectRemoved|LifecycleExpiration):/.test(type);
    expect('size' in r.s3.object).toBe(!isDelete);
    expect('eTag' in r.s3.object).toBe(!isDelete);
    expect('sequencer' in r.s3.object).toBe(/^Object(Created|Removed):/.test(type));
    expect('glacierEventData' in r).toBe(type === 'ObjectRestore:Completed');
    expect('versionId' in r.s3.object).toBe(type.endsWith('DeleteMarkerCreated'));
  });

  it('form-encodes keys as S3 does: space to +, / kept, reserved characters escaped', () => {
    const key = (k: string) => firstRecord('s3', 'put', { key: k }).s3.object.key;
    expect(key('red flower.jpg')).toBe('red+flower.jpg');
    expect(key('dir/sub dir/x(1)!.png')).toBe('dir/sub+dir/x%281%29%21.png');
    expect(key('über+plus.txt')).toBe('%C3%BCber%2Bplus.txt');
  });

  it('orders sequencers per key as S3 does (pad, then compare as strings)', () => {
    const seqs = Array.from(
      { length: 50 },
      (_, i) => firstRecord('s3', 'put', { key: 'k' }, i).s3.object.sequencer,
    );
    for (const s of seqs) expect(s).toMatch(/^[0-9A-F]+$/);
    const padded = seqs.map((s: string) => s.padEnd(20, '0'));
    expect([...padded].sort()).toEqual(padded);
  });

  it('adds versionId for versioned buckets, and a multipart eTag suffix', () => {
    expect(firstRecord('s3', 'put', { versioned: true }).s3.object.versionId).toMatch(/^\S{32}$/);
    expect(firstRecord('s3', 'multipart', { size: '64MB' }).s3.object.eTag).toMatch(/^[0-9a-f]{32}-8$/);
  });

  it('honours size ranges and S3 as requester for lifecycle events', () => {
    for (let i = 0; i < 20; i++) {
      const size = firstRecord('s3', 'put', { size: '1KB..2KB' }, i).s3.object.size;
      expect(size).toBeGreaterThanOrEqual(1024);
      expect(size).toBeLessThanOrEqual(2048);
    }
    expect(firstRecord('s3', 'expiration').userIdentity.principalId).toBe('s3.amazonaws.com');
    expect(() => firstRecord('s3', 'put', { size: 'big' })).toThrow(/s3 option "size"/);
  });

  it('accepts full event names with the s3: prefix, and renders key templates', () => {
    const r = firstRecord('s3', 's3:ObjectCreated:Copy', { key: 'uploads/{{ index }}.jpg' }, 7);
    expect(r.eventName).toBe('ObjectCreated:Copy');
    expect(r.s3.object.key).toBe('uploads/7.jpg');
  });
});
