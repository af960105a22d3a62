/**
 * The on-failure destination as a JSONL file (`<outputDir>/<source>.on-failure.jsonl`): one
 * invocation record per line, appended through a buffer that is flushed on stop/settled and
 * whenever it grows past a threshold. A write that fails is reported from flush(), never dropped.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LambenchError } from '../core/errors.js';

export interface DestinationFile {
  readonly path: string;
  /** Buffers one record (one JSON line). */
  append(record: unknown): void;
  /** Writes everything buffered; rejects with a LambenchError naming the file if a write failed. */
  flush(): Promise<void>;
  /** Lines accepted so far (buffered or written). */
  readonly lines: number;
}

/** Buffer size past which lines are written without waiting for flush(). */
const FLUSH_AT_BYTES = 64 * 1024;

/** The path a source's on-failure destination is written to. */
export function destinationPath(outputDir: string, source: string): string {
  return join(outputDir, `${source}.on-failure.jsonl`);
}

/** One writer per path: deliveries of the same source share it so lines never interleave mid-line. */
export function createDestinationFile(path: string): DestinationFile {
  let buffer: string[] = [];
  let bufferedBytes = 0;
  let lines = 0;
  let chain: Promise<void> = Promise.resolve();
  let dirReady = false;
  // Text a write failed on: retried by the next flush, reported if it fails again.
  let unwritten = '';
  let failure: unknown;

  async function write(text: string): Promise<void> {
    try {
      if (!dirReady) {
        await mkdir(dirname(path), { recursive: true });
        dirReady = true;
      }
      await appendFile(path, text, 'utf8');
      failure = undefined;
    } catch (error) {
      failure = error;
      unwritten += text;
    }
  }

  function writeBuffered(): Promise<void> {
    if (buffer.length === 0 && unwritten === '') return chain;
    const text = unwritten + buffer.join('');
    unwritten = '';
    buffer = [];
    bufferedBytes = 0;
    chain = chain.then(() => write(text));
    return chain;
  }

  return {
    path,
    append(record) {
      const line = `${JSON.stringify(record)}\n`;
      buffer.push(line);
      bufferedBytes += line.length;
      lines += 1;
      if (bufferedBytes >= FLUSH_AT_BYTES) void writeBuffered();
    },
    async flush() {
      await chain;
      await writeBuffered();
      if (unwritten !== '') {
        throw new LambenchError(
          'DESTINATION_WRITE_FAILED',
          `could not write the on-failure destination ${path}`,
          {
            cause: failure,
          },
        );
      }
    },
    get lines() {
      return lines;
    },
  };
}
