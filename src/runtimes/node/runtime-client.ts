/**
 * The Runtime API as a runtime sees it: GET /next (blocking, no client timeout: the process may be
 * frozen between invokes), POST /response, /error and /init/error.
 *
 * A small HTTP/1.1 client over one keep-alive socket, not node:http: the runtime makes two requests
 * per invoke, and node:http's client machinery (agent, ClientRequest, IncomingMessage, header
 * validation) cost more CPU than the rest of an invoke. Requests are pipelined — the result's POST
 * and the next GET leave together, and the Runtime API answers them in order — so a warm invoke
 * costs one write and one loopback round trip: the Runtime API answers the POST with its 202
 * together with the next event. The platform's answers always carry Content-Length.
 */
import { connect, type Socket } from 'node:net';

const [host = '127.0.0.1', port = '9001'] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001').split(
  ':',
);
const BASE = '/2018-06-01/runtime';
const HEAD_END = Buffer.from('\r\n\r\n');

export interface NextEvent {
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

interface Response {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface Head {
  status: number;
  headers: Record<string, string>;
  /** Content-Length of the body. */
  length: number;
  /** Bytes up to and including the blank line. */
  headBytes: number;
}

interface Waiter {
  resolve(response: Response): void;
  reject(error: Error): void;
}

class Connection {
  readonly #socket: Socket;
  readonly #waiting: Waiter[] = [];
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** The head of the response being read, once its blank line has arrived. */
  #head: Head | undefined;
  #failure: Error | undefined;
  #corked = false;

  constructor() {
    this.#socket = connect(Number(port), host);
    this.#socket.setNoDelay(true);
    this.#socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on('error', (err) => this.#fail(err));
    this.#socket.on('close', () => this.#fail(new Error('Runtime API connection closed')));
  }

  send(method: string, path: string, body?: string, extra?: Record<string, string>): Promise<Response> {
    if (this.#failure) return Promise.reject(this.#failure);
    // Requests made in the same tick (a result's POST and the next GET) leave in one write.
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        this.#socket.uncork();
      });
    }
    let head = `${method} ${BASE}${path} HTTP/1.1\r\nHost: ${host}:${port}\r\n`;
    if (extra) for (const [name, value] of Object.entries(extra)) head += `${name}: ${value}\r\n`;
    if (body === undefined) this.#socket.write(`${head}\r\n`);
    else {
      head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
      this.#socket.write(head + body);
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #onData(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    for (;;) {
      if (!this.#head && !this.#readHead()) return;
      const head = this.#head as Head;
      if (this.#buffered < head.headBytes + head.length) return;
      const all = this.#take();
      const body = all.subarray(head.headBytes, head.headBytes + head.length);
      const rest = all.subarray(head.headBytes + head.length);
      this.#head = undefined;
      this.#chunks = rest.length > 0 ? [rest] : [];
      this.#buffered = rest.length;
      this.#waiting.shift()?.resolve({ status: head.status, headers: head.headers, body });
    }
  }

  /** Parses the status line and headers once the blank line is in; false until then. */
  #readHead(): boolean {
    const all = this.#take();
    const end = all.indexOf(HEAD_END);
    if (end < 0) return false;
    const lines = all.toString('latin1', 0, end).split('\r\n');
    const status = Number((lines[0] ?? '').split(' ')[1]);
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (headers['transfer-encoding'] !== undefined) {
      this.#fail(new Error('Runtime API answered without Content-Length'));
      return false;
    }
    this.#head = { status, headers, length: Number(headers['content-length'] ?? 0), headBytes: end + 4 };
    return true;
  }

  /** The buffered bytes as one Buffer (copied only when they arrived in several chunks). */
  #take(): Buffer {
    if (this.#chunks.length !== 1) this.#chunks = [Buffer.concat(this.#chunks, this.#buffered)];
    return this.#chunks[0] as Buffer;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const w of this.#waiting.splice(0)) w.reject(this.#failure);
  }
}

let connection: Connection | undefined;

async function call(
  method: string,
  path: string,
  body?: string,
  extra?: Record<string, string>,
): Promise<Response> {
  connection ??= new Connection();
  return connection.send(method, path, body, extra);
}

export async function nextInvocation(): Promise<NextEvent> {
  const res = await call('GET', '/invocation/next');
  return { headers: res.headers, body: res.body.toString() };
}

export async function postResponse(requestId: string, body: string): Promise<void> {
  await call('POST', `/invocation/${requestId}/response`, body);
}

export async function postError(requestId: string, body: string, errorType: string): Promise<void> {
  await call('POST', `/invocation/${requestId}/error`, body, {
    'Lambda-Runtime-Function-Error-Type': errorType,
  });
}

export async function postInitError(body: string, errorType: string): Promise<void> {
  await call('POST', '/init/error', body, { 'Lambda-Runtime-Function-Error-Type': errorType });
}
