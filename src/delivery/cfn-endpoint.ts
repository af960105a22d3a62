/**
 * The local stand-in for CloudFormation's presigned ResponseURL: an HTTP server on 127.0.0.1 (one
 * per run) that records the first PUT for each event and answers 200, as S3 would.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../core/clock.js';
import { LambenchError } from '../core/errors.js';

/** Bodies are read up to this size; anything larger is recorded as oversized without keeping it all. */
const READ_LIMIT_BYTES = 64 * 1024;

export interface CfnResponse {
  /** The body as received (truncated past 64 KB; `bytes` is the full size). */
  body: Uint8Array;
  bytes: number;
  /** Monotonic ms on the endpoint's clock. */
  receivedAtMs: number;
  /** How many PUTs arrived for this event (async retries can run the handler again). */
  puts: number;
}

export type CfnWait =
  | { received: true; response: CfnResponse }
  | { received: false; reason: 'timeout' | 'closed' };

export interface ResponseEndpoint {
  /** The ResponseURL for one event; `scope` separates event ids of different sources in one run. */
  urlFor(eventId: number, scope?: string): string;
  /** Resolves with the first PUT for the event, or `received: false` after timeoutMs or on close(). */
  waitFor(eventId: number, timeoutMs: number, scope?: string): Promise<CfnWait>;
  close(): Promise<void>;
}

interface Slot {
  response?: CfnResponse;
  waiters: Array<(wait: CfnWait) => void>;
}

function readBody(req: IncomingMessage): Promise<{ body: Uint8Array; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      if (bytes < READ_LIMIT_BYTES) chunks.push(chunk);
      bytes += chunk.length;
    });
    req.on('end', () => resolve({ body: new Uint8Array(Buffer.concat(chunks)), bytes }));
    req.on('error', reject);
  });
}

export async function startResponseEndpoint(clock: Clock = systemClock): Promise<ResponseEndpoint> {
  const slots = new Map<string, Slot>();
  const slot = (id: string): Slot => {
    let s = slots.get(id);
    if (!s) {
      s = { waiters: [] };
      slots.set(id, s);
    }
    return s;
  };
  const idOf = (eventId: number, scope?: string) =>
    scope ? `${encodeURIComponent(scope)}/${eventId}` : `${eventId}`;
  let closed = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/cfn\/(.+)$/.exec(req.url ?? '');
    if (req.method !== 'PUT' || !match?.[1]) {
      res.writeHead(req.method === 'PUT' ? 404 : 405).end();
      return;
    }
    const { body, bytes } = await readBody(req);
    const s = slot(match[1]);
    if (s.response) s.response.puts += 1;
    else {
      s.response = { body, bytes, receivedAtMs: clock.now(), puts: 1 };
      const response = s.response;
      for (const w of s.waiters.splice(0)) w({ received: true, response });
    }
    res.writeHead(200).end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new LambenchError('CFN_ENDPOINT_FAILED', 'could not start the CloudFormation response endpoint', {
          cause: error,
        }),
      ),
    );
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    urlFor: (eventId, scope) => `http://127.0.0.1:${port}/cfn/${idOf(eventId, scope)}`,
    waitFor(eventId, timeoutMs, scope) {
      const s = slot(idOf(eventId, scope));
      if (s.response) return Promise.resolve({ received: true, response: s.response });
      if (closed) return Promise.resolve({ received: false, reason: 'closed' });
      return new Promise<CfnWait>((resolve) => {
        let cancel = () => {};
        const waiter = (wait: CfnWait) => {
          cancel();
          resolve(wait);
        };
        s.waiters.push(waiter);
        cancel = clock.setTimer(timeoutMs, () => {
          s.waiters = s.waiters.filter((w) => w !== waiter);
          resolve({ received: false, reason: 'timeout' });
        });
      });
    },
    async close() {
      closed = true;
      for (const s of slots.values())
        for (const w of s.waiters.splice(0)) w({ received: false, reason: 'closed' });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
