/**
 * Function logs in Lambda's text format: the platform's START / END / REPORT lines around the
 * function's own output, a per-invoke tail (logType Tail: the last 4 KB, base64) and the onLog
 * callback. Nothing is formatted unless someone reads it (a Tail invoke or an onLog callback).
 */
import type { InvokeReport } from './types.js';

/** Lambda's LogResult holds the last 4 KB of the invoke's log. */
export const TAIL_BYTES = 4096;

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/** `REPORT RequestId: …\tDuration: 12.34 ms\tBilled Duration: 13 ms\t…` with Lambda's trailing tab. */
export function reportLine(r: InvokeReport): string {
  const init = r.initDurationMs === undefined ? '' : `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`;
  return (
    `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${r.billedDurationMs} ms\tMemory Size: ${r.memorySizeMB} MB\t` +
    `Max Memory Used: ${r.maxMemoryUsedMB} MB\t${init}`
  );
}

/** The platform line Lambda writes before END when an invoke times out. */
export function timeoutLine(requestId: string, timeoutS: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutS.toFixed(2)} seconds`;
}

/** Billed Duration: whole ms rounded up, at least 1; cold starts include Init (billed since Aug 2025). */
export function billedMs(durationMs: number, initDurationMs?: number): number {
  return Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0)));
}

/** The tail of one invoke's log: keeps at most a little over TAIL_BYTES of the newest output. */
export class TailBuffer {
  #chunks: Buffer[] = [];
  #bytes = 0;

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.#chunks.push(buf);
    this.#bytes += buf.length;
    while (this.#chunks.length > 1 && this.#bytes - (this.#chunks[0]?.length ?? 0) >= TAIL_BYTES) {
      this.#bytes -= this.#chunks.shift()?.length ?? 0;
    }
  }

  /** Base64 of the last TAIL_BYTES bytes. */
  toBase64(): string {
    const all = Buffer.concat(this.#chunks, this.#bytes);
    return all.subarray(Math.max(0, all.length - TAIL_BYTES)).toString('base64');
  }
}

/** Splits a byte stream into lines for onLog, carrying a partial line between chunks. */
export class LineSplitter {
  #partial = '';
  readonly #emit: (line: string) => void;

  constructor(emit: (line: string) => void) {
    this.#emit = emit;
  }

  push(chunk: Buffer | string): void {
    const text = this.#partial + chunk.toString();
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#emit(line);
  }

  flush(): void {
    if (this.#partial) this.#emit(this.#partial);
    this.#partial = '';
  }
}
