import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchPayload,
  NO_BYTES,
  payloadBytes,
  RecordArena,
  type RecordBytes,
  recordText,
} from '../../../src/delivery/stream/record-bytes.js';

const fresh = (): RecordBytes => ({ chunk: NO_BYTES, start: 0, bytes: 0 });

/** Writes each text into one of `arenas` (by `arenaOf`), as shards of a stream do. */
function stored(texts: readonly string[], arenas: RecordArena[], arenaOf: (i: number) => number) {
  return texts.map((text, i) => {
    const r = fresh();
    (arenas[arenaOf(i) % arenas.length] as RecordArena).write(r, text);
    return r;
  });
}

describe('record bytes', () => {
  it('keeps each record’s UTF-8 bytes, multi-byte characters and large records included', () => {
    // Prepare
    const arena = new RecordArena();
    const texts = ['{"a":1}', '{"name":"zoë – 東京 🚀"}', `{"big":"${'x'.repeat(200_000)}"}`, '{"b":2}'];
    // Act
    const records = stored(texts, [arena], () => 0);
    // Assess
    expect(records.map(recordText)).toEqual(texts);
    expect(records.map((r) => r.bytes)).toEqual(texts.map((t) => Buffer.byteLength(t)));
  });

  it('fills chunks and starts a new one without splitting a record', () => {
    // Prepare: ~1,000-byte records, enough for several 1 MiB chunks.
    const arena = new RecordArena();
    const texts = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, pad: 'p'.repeat(1000) }));
    // Act
    const records = stored(texts, [arena], () => 0);
    // Assess
    expect(new Set(records.map((r) => r.chunk)).size).toBeGreaterThan(2);
    expect(records.every((r) => r.start + r.bytes <= r.chunk.length)).toBe(true);
    expect(records.map(recordText)).toEqual(texts);
    expect(JSON.parse(batchPayload(records, '{"Records":[', ']}').toString()).Records).toHaveLength(3000);
  });

  it('builds exactly prefix + records joined by commas + suffix, however they lie in the arenas', () => {
    fc.assert(
      fc.property(
        fc.array(fc.json({ maxDepth: 2 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (texts, arenaCount, placement, dropped) => {
          // Prepare: records spread over several arenas, some left out of the batch (filtered,
          // checkpointed), so runs of neighbours and gaps both occur.
          const arenas = Array.from({ length: arenaCount }, () => new RecordArena());
          const all = stored(texts, arenas, (i) => placement[i % placement.length] as number);
          const skip = new Set(dropped.map((d) => d % Math.max(1, all.length)));
          const batch = all.filter((_, i) => !skip.has(i));
          const expected = `{"Records":[${texts.filter((_, i) => !skip.has(i)).join(',')}]}`;
          // Act
          const payload = batchPayload(batch, '{"Records":[', ']}');
          // Assess
          expect(payload.toString('utf8')).toBe(expected);
          expect(payload.length).toBe(Buffer.byteLength(expected));
          expect(payloadBytes(batch, '{"Records":[', ']}')).toBe(payload.length);
        },
      ),
    );
  });

  it('carries a suffix with multi-byte text (tumbling-window state) byte for byte', () => {
    const arena = new RecordArena();
    const records = stored(['{"a":1}', '{"b":2}'], [arena], () => 0);
    const suffix = '],"state":{"city":"Zürich"}}';
    expect(batchPayload(records, '{"Records":[', suffix).toString()).toBe(
      `{"Records":[{"a":1},{"b":2}${suffix}`,
    );
    expect(batchPayload([], '{"Records":[', ']}').toString()).toBe('{"Records":[]}');
  });
});
