/**
 * Reads a request body up to a limit. Past the limit the rest is read and thrown away before the
 * 413 goes out, so the client sees RequestTooLargeException rather than a reset connection.
 */
import type { IncomingMessage } from 'node:http';
import { requestTooLarge } from './http-errors.js';

/** Bodies this far past the limit are not worth draining: the connection is dropped instead. */
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

export function readBody(req: IncomingMessage, limitBytes: number, operation: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let tooLarge = Number.isFinite(declared) && declared > limitBytes;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limitBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      else if (total > limitBytes + DRAIN_CAP_BYTES) req.destroy();
    });
    req.on('end', () => {
      if (tooLarge) reject(requestTooLarge(limitBytes, operation));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    });
    req.on('error', reject);
  });
}
