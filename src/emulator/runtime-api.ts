/**
 * The Lambda Runtime API of one execution environment (one server per environment on
 * 127.0.0.1:0, so each runtime sees its own AWS_LAMBDA_RUNTIME_API):
 *   GET  /2018-06-01/runtime/invocation/next          long-poll for the next event
 *   POST /2018-06-01/runtime/invocation/{id}/response the result (202 {"status":"OK"})
 *   POST /2018-06-01/runtime/invocation/{id}/error    a function error
 *   POST /2018-06-01/runtime/init/error               init failed
 * Responses over 6 MiB + 100 bytes get 413, as RIE's MaxPayloadSize.
 *
 * HTTP/1.1 over `node:net` with http-parser-js, not `node:http`: a warm invoke is two requests and
 * two answers, and on a virtualised host every socket write and every wake-up of the runtime's
 * process costs more than the rest of the invoke. A runtime that pipelines its result and its next
 * /next (lambench's own clients do) gets the result's 202 together with the next event, in one
 * write that wakes it once; a runtime that waits for the 202 first (AWS's clients, curl) gets it at
 * once, as from any HTTP server.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { HTTPParser } from 'http-parser-js';

export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

const PREFIX = '/2018-06-01/runtime/';
const NEXT = `${PREFIX}invocation/next`;
const INIT_ERROR = `${PREFIX}init/error`;
const INVOCATION = `${PREFIX}invocation/`;
const ACCEPTED = '{"status":"OK"}';
const GET = HTTPParser.methods.indexOf('GET');
const POST = HTTPParser.methods.indexOf('POST');
const REASONS: Record<number, string> = {
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  431: 'Request Header Fields Too Large',
};

/** The event as the runtime receives it. */
export interface RuntimeEvent {
  requestId: string;
  payload: Buffer;
  deadlineMs: number; // epoch ms
  invokedArn: string;
  traceId: string;
  clientContext?: string; // JSON text
  cognitoIdentity?: string; // JSON text
}

/** A runtime's pending GET /next, answered once with an event. */
export interface NextRequest {
  /** False once its connection has closed: an event sent now would be lost. */
  readonly open: boolean;
  send(event: RuntimeEvent): void;
}

/** What the environment does with the runtime's calls. */
export interface RuntimeApiHandler {
  next(request: NextRequest): void;
  /** A result for `requestId`; returns false when the id is not the one in flight (→ 400). */
  result(requestId: string, kind: 'response' | 'error', body: Buffer, errorType: string | undefined): boolean;
  /** The result for `requestId` was over the limit (→ 413); returns false for an unknown id. */
  tooLarge(requestId: string): boolean;
  initError(body: Buffer, errorType: string | undefined): void;
}

export class RuntimeApiServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly address: string;

  private constructor(server: Server, handler: RuntimeApiHandler) {
    this.#server = server;
    const address = server.address();
    this.address = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      new Connection(socket, handler);
    });
  }

  static async listen(handler: RuntimeApiHandler): Promise<RuntimeApiServer> {
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new RuntimeApiServer(server, handler);
  }

  close(): void {
    this.#server.close();
    for (const socket of this.#sockets) socket.destroy();
  }
}

/** One answer in a connection's queue: HTTP/1.1 answers leave in the order of the requests. */
interface Answer {
  /** The bytes, once known; a pending /next has none yet. */
  bytes?: Array<string | Buffer>;
  /** A 202 to a result: it may wait for the answer of a /next pipelined behind it. */
  joinsNext?: boolean;
  /** The client asked to close the connection after this answer. */
  last?: boolean;
}

/** The request being read: its route, and its body so far (undefined once over the limit). */
interface Reading {
  method: number;
  url: string;
  errorType: string | undefined;
  answer: Answer;
  chunks: Buffer[] | undefined;
  size: number;
}

class Connection {
  readonly #socket: Socket;
  readonly #handler: RuntimeApiHandler;
  readonly #parser = new HTTPParser(HTTPParser.REQUEST);
  readonly #answers: Answer[] = [];
  #reading: Reading | undefined;
  #refused = false;
  #parsing = false;

  constructor(socket: Socket, handler: RuntimeApiHandler) {
    this.#socket = socket;
    this.#handler = handler;
    const parser = this.#parser;
    // http-parser-js passes one info object (its default mode).
    parser[HTTPParser.kOnHeadersComplete] = (info) =>
      this.#onHead(info.method, info.url, info.headers, info.shouldKeepAlive);
    parser[HTTPParser.kOnBody] = (chunk) => this.#onBody(chunk);
    parser[HTTPParser.kOnMessageComplete] = () => this.#onRequest();
    socket.on('data', (data: Buffer) => {
      if (this.#refused) return;
      // Answers wait until every request in this read is parsed: a 202 can then see the /next
      // pipelined behind it.
      this.#parsing = true;
      const outcome = parser.execute(data);
      this.#parsing = false;
      if (outcome instanceof Error) this.#refuse(outcome.message.includes('header') ? 431 : 400);
      else this.#flush();
    });
    socket.on('error', () => socket.destroy());
  }

  /** Headers read: remember the route; returns 1 (no body) when the request declares none. */
  #onHead(method: number, url: string, headers: string[], keepAlive: boolean): number {
    let errorType: string | undefined;
    let declared: number | undefined;
    let chunked = false;
    let expectContinue = false;
    for (let i = 0; i < headers.length; i += 2) {
      const name = (headers[i] as string).toLowerCase();
      const value = headers[i + 1] as string;
      if (name === 'lambda-runtime-function-error-type') errorType = value;
      else if (name === 'content-length') declared = Number(value);
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
      else if (name === 'expect') expectContinue = value.toLowerCase() === '100-continue';
    }
    const answer: Answer = keepAlive ? {} : { last: true };
    this.#answers.push(answer);
    this.#reading = {
      method,
      url,
      errorType,
      answer,
      chunks: declared !== undefined && declared > MAX_RESPONSE_BYTES ? undefined : [],
      size: 0,
    };
    // curl asks before sending a large body; only the first answer in line may be interim.
    if (expectContinue && this.#answers.length === 1) this.#socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    // A request with neither length nor chunking has no body (http-parser-js would read to EOF).
    return declared === undefined && !chunked ? 1 : 0;
  }

  #onBody(chunk: Buffer): void {
    const r = this.#reading;
    if (!r) return;
    r.size += chunk.length;
    if (r.size > MAX_RESPONSE_BYTES) r.chunks = undefined;
    else r.chunks?.push(chunk);
  }

  #onRequest(): void {
    const r = this.#reading;
    if (!r) return;
    this.#reading = undefined;
    const body =
      r.chunks && (r.chunks.length === 1 ? (r.chunks[0] as Buffer) : Buffer.concat(r.chunks, r.size));
    const { answer, url } = r;
    if (r.method === GET && url === NEXT) {
      this.#handler.next(this.#nextRequest(answer));
      return;
    }
    if (r.method === POST && url === INIT_ERROR) {
      this.#answer(answer, 202, ACCEPTED);
      this.#handler.initError(body ?? Buffer.alloc(0), r.errorType);
      return;
    }
    if (r.method === POST && url.startsWith(INVOCATION)) {
      const rest = url.slice(INVOCATION.length);
      const slash = rest.indexOf('/');
      const kind = rest.slice(slash + 1);
      if (slash > 0 && (kind === 'response' || kind === 'error')) {
        this.#result(answer, rest.slice(0, slash), kind, body, r.errorType);
        return;
      }
    }
    const method = HTTPParser.methods[r.method] ?? String(r.method);
    this.#answer(answer, 404, errorBody('NotFound', `no route ${method} ${url}`));
  }

  #result(
    answer: Answer,
    requestId: string,
    kind: 'response' | 'error',
    body: Buffer | undefined,
    errorType: string | undefined,
  ): void {
    if (body === undefined) {
      if (this.#handler.tooLarge(requestId))
        this.#answer(
          answer,
          413,
          errorBody(
            'RequestEntityTooLarge',
            `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          ),
        );
      else this.#answer(answer, 400, errorBody('InvalidRequestID', 'Invalid request ID'));
      return;
    }
    if (this.#handler.result(requestId, kind, body, errorType)) {
      answer.joinsNext = true;
      this.#answer(answer, 202, ACCEPTED);
    } else this.#answer(answer, 400, errorBody('InvalidRequestID', 'Invalid request ID'));
  }

  #nextRequest(answer: Answer): NextRequest {
    const socket = this.#socket;
    let sent = false;
    return {
      get open() {
        return !sent && !socket.destroyed;
      },
      send: (ev) => {
        if (sent) throw new Error('this /next was answered already');
        sent = true;
        answer.bytes = [eventHead(ev, answer.last === true), ev.payload];
        this.#flush();
      },
    };
  }

  #answer(answer: Answer, status: number, body: string): void {
    answer.bytes = [head(status, Buffer.byteLength(body), answer.last === true) + body];
    this.#flush();
  }

  /** Writes every answer that is due, in request order, in one write. */
  #flush(): void {
    const socket = this.#socket;
    if (socket.destroyed || this.#parsing) return;
    let corked = false;
    let close = false;
    while (this.#answers.length > 0) {
      const first = this.#answers[0] as Answer;
      if (first.bytes === undefined) break;
      // The 202 to a result waits for the event of the /next pipelined behind it, so that the
      // runtime wakes once for both; with nothing behind it, the runtime is waiting for it now.
      if (first.joinsNext && this.#answers[1] !== undefined && this.#answers[1].bytes === undefined) break;
      this.#answers.shift();
      if (!corked) socket.cork();
      corked = true;
      for (const part of first.bytes) socket.write(part);
      if (first.last) {
        close = true;
        break;
      }
    }
    if (corked) socket.uncork();
    if (close) socket.end();
  }

  /** A request that cannot be parsed: answer it and close, as any HTTP server does. */
  #refuse(status: number): void {
    this.#refused = true;
    const body = errorBody('BadRequest', 'malformed HTTP request');
    this.#socket.end(head(status, Buffer.byteLength(body), true) + body);
  }
}

function head(status: number, length: number, close: boolean): string {
  return (
    `HTTP/1.1 ${status} ${REASONS[status] ?? ''}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${length}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`
  );
}

/** The answer to a /next: the event and its Lambda-Runtime-* headers. */
function eventHead(ev: RuntimeEvent, close: boolean): string {
  let text =
    `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${ev.payload.length}\r\n` +
    `Lambda-Runtime-Aws-Request-Id: ${ev.requestId}\r\n` +
    `Lambda-Runtime-Deadline-Ms: ${ev.deadlineMs}\r\n` +
    `Lambda-Runtime-Invoked-Function-Arn: ${ev.invokedArn}\r\n` +
    `Lambda-Runtime-Trace-Id: ${ev.traceId}\r\n`;
  if (ev.clientContext !== undefined)
    text += `Lambda-Runtime-Client-Context: ${oneLine(ev.clientContext)}\r\n`;
  if (ev.cognitoIdentity !== undefined)
    text += `Lambda-Runtime-Cognito-Identity: ${oneLine(ev.cognitoIdentity)}\r\n`;
  return `${text}${close ? 'Connection: close\r\n' : ''}\r\n`;
}

/** JSON text as a header value: line breaks between tokens are whitespace JSON can do without. */
function oneLine(json: string): string {
  return json.replace(/[\r\n]+/g, ' ');
}

function errorBody(errorType: string, errorMessage: string): string {
  return JSON.stringify({ errorType, errorMessage });
}
