/**
 * The bytes of the records a stream holds, and the batch payload built from them.
 *
 * A record is serialized once, at put, and its UTF-8 bytes are appended to a chunk of a
 * stream-wide arena (1 MiB Buffers, outside the JS heap); the record keeps only where they are.
 * Why: at 100,000 records/s a record waits in the stream for a poll and a batch — long enough to
 * survive a young-generation GC — and a 500-byte JSON string per record copied twice by the
 * garbage collector cost more than everything else the harness does per record. Bytes in the
 * arena are never copied by the GC; a chunk is freed when the last record that points into it
 * is gone.
 *
 * A batch payload is one Buffer of exactly the right size, with each record's bytes copied into
 * it once: no joined string, no second UTF-8 encoding of the whole batch.
 */

/** Where a record's JSON lives: `bytes` bytes of `chunk` from `start`. */
export interface RecordBytes {
  chunk: Buffer;
  start: number;
  bytes: number;
}

const CHUNK_BYTES = 1024 * 1024;
/** Records larger than this get a Buffer of their own rather than wasting the rest of a chunk. */
const OWN_BUFFER_CHARS = CHUNK_BYTES / 16;

export const NO_BYTES: Buffer = Buffer.alloc(0);
const COMMA = 0x2c;

/**
 * Appends record JSON to 1 MiB chunks; one per shard. Each record is followed by a comma, so the
 * records of a batch that sit side by side in a chunk (one shard's records, in order) are copied
 * into the payload in one piece, commas included.
 */
export class RecordArena {
  #chunk: Buffer = NO_BYTES;
  #used = 0;

  /** Writes `json` as UTF-8 and points `into` at its bytes. */
  write(into: RecordBytes, json: string): void {
    if (json.length > OWN_BUFFER_CHARS) {
      into.chunk = Buffer.from(json);
      into.start = 0;
      into.bytes = into.chunk.length;
      return;
    }
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair: 4 bytes for 2 units).
    if (this.#used + json.length * 3 + 1 > this.#chunk.length) {
      this.#chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      this.#used = 0;
    }
    into.chunk = this.#chunk;
    into.start = this.#used;
    into.bytes = this.#chunk.write(json, this.#used, 'utf8');
    this.#used += into.bytes;
    this.#chunk[this.#used++] = COMMA;
  }
}

/** The text of a record's bytes (for the rare reader that needs it, e.g. a test). */
export function recordText(r: RecordBytes): string {
  return r.chunk.toString('utf8', r.start, r.start + r.bytes);
}

/** Bytes of a payload carrying `records` between `prefix` and `suffix`, comma-separated. */
export function payloadBytes(records: readonly RecordBytes[], prefix: string, suffix: string): number {
  let n = Buffer.byteLength(prefix) + Buffer.byteLength(suffix) + Math.max(0, records.length - 1);
  for (const r of records) n += r.bytes;
  return n;
}

/**
 * `prefix` + the records' JSON joined by commas + `suffix`, as one Buffer: e.g.
 * `batchPayload(records, '{"Records":[', ']}')` is the event Lambda sends a stream consumer.
 */
export function batchPayload(records: readonly RecordBytes[], prefix: string, suffix: string): Buffer {
  const out = Buffer.allocUnsafe(payloadBytes(records, prefix, suffix));
  let at = out.write(prefix, 0, 'utf8');
  let i = 0;
  while (i < records.length) {
    if (i > 0) out[at++] = COMMA;
    // The longest run of records lying one after the other (comma-separated) in the same chunk.
    const first = records[i] as RecordBytes;
    let last = first;
    for (i++; i < records.length; i++) {
      const r = records[i] as RecordBytes;
      if (r.chunk !== last.chunk || r.start !== last.start + last.bytes + 1) break;
      last = r;
    }
    at += first.chunk.copy(out, at, first.start, last.start + last.bytes);
  }
  out.write(suffix, at, 'utf8');
  return out;
}
