/**
 * The Lambda Runtime API of one execution environment (one HTTP server per environment on
 * 127.0.0.1:0, so each runtime sees its own AWS_LAMBDA_RUNTIME_API):
 *   GET  /2018-06-01/runtime/invocation/next          long-poll for the next event
 *   POST /2018-06-01/runtime/invocation/{id}/response the result (202 {"status":"OK"})
 *   POST /2018-06-01/runtime/invocation/{id}/error    a function error
 *   POST /2018-06-01/runtime/init/error               init failed
 * Responses over 6 MiB + 100 bytes get 413, as RIE's MaxPayloadSize.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

const PREFIX = '/2018-06-01/runtime/';
const NEXT = `${PREFIX}invocation/next`;
const INIT_ERROR = `${PREFIX}init/error`;
const INVOCATION = `${PREFIX}invocation/`;
const ACCEPTED = '{"status":"OK"}';

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

/** What the environment does with the runtime's calls. */
export interface RuntimeApiHandler {
  next(res: ServerResponse): void;
  /** A result for `requestId`; returns false when the id is not the one in flight (→ 400). */
  result(requestId: string, kind: 'response' | 'error', body: Buffer, errorType: string | undefined): boolean;
  /** The result for `requestId` was over the limit (→ 413); returns false for an unknown id. */
  tooLarge(requestId: string): boolean;
  initError(body: Buffer, errorType: string | undefined): void;
}

export class RuntimeApiServer {
  readonly #server: Server;
  readonly address: string;

  private constructor(server: Server) {
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    this.address = `127.0.0.1:${port}`;
  }

  static async listen(handler: RuntimeApiHandler): Promise<RuntimeApiServer> {
    const server = createServer({ keepAliveTimeout: 0, requestTimeout: 0 }, (req, res) =>
      route(handler, req, res),
    );
    // A frozen runtime keeps its /next connection open for as long as it is idle.
    server.headersTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new RuntimeApiServer(server);
  }

  close(): void {
    this.#server.close();
    this.#server.closeAllConnections();
  }
}

/** Answers a pending /next with an event and its Lambda-Runtime-* headers. */
export function sendEvent(res: ServerResponse, ev: RuntimeEvent): void {
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': ev.payload.length,
    'Lambda-Runtime-Aws-Request-Id': ev.requestId,
    'Lambda-Runtime-Deadline-Ms': ev.deadlineMs,
    'Lambda-Runtime-Invoked-Function-Arn': ev.invokedArn,
    'Lambda-Runtime-Trace-Id': ev.traceId,
  };
  if (ev.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = ev.clientContext;
  if (ev.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = ev.cognitoIdentity;
  res.writeHead(200, headers);
  res.end(ev.payload);
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function errorBody(errorType: string, errorMessage: string): string {
  return JSON.stringify({ errorType, errorMessage });
}

function route(handler: RuntimeApiHandler, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  if (req.method === 'GET' && url === NEXT) {
    handler.next(res);
    return;
  }
  if (req.method === 'POST' && url === INIT_ERROR) {
    readBody(req, MAX_RESPONSE_BYTES, (body) => {
      reply(res, 202, ACCEPTED);
      handler.initError(body ?? Buffer.alloc(0), errorTypeOf(req));
    });
    return;
  }
  if (req.method === 'POST' && url.startsWith(INVOCATION)) {
    const rest = url.slice(INVOCATION.length);
    const slash = rest.indexOf('/');
    const kind = rest.slice(slash + 1);
    if (slash > 0 && (kind === 'response' || kind === 'error')) {
      postResult(handler, req, res, rest.slice(0, slash), kind);
      return;
    }
  }
  req.resume();
  reply(res, 404, errorBody('NotFound', `no route ${req.method} ${url}`));
}

function postResult(
  handler: RuntimeApiHandler,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  kind: 'response' | 'error',
): void {
  readBody(req, MAX_RESPONSE_BYTES, (body) => {
    if (body === undefined) {
      if (handler.tooLarge(requestId)) {
        reply(
          res,
          413,
          errorBody(
            'RequestEntityTooLarge',
            `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          ),
        );
      } else {
        reply(res, 400, errorBody('InvalidRequestID', 'Invalid request ID'));
      }
      return;
    }
    if (handler.result(requestId, kind, body, errorTypeOf(req))) reply(res, 202, ACCEPTED);
    else reply(res, 400, errorBody('InvalidRequestID', 'Invalid request ID'));
  });
}

function errorTypeOf(req: IncomingMessage): string | undefined {
  const value = req.headers['lambda-runtime-function-error-type'];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a request body; `undefined` when it exceeds `limit` (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const declared = Number(req.headers['content-length']);
  let chunks: Buffer[] | undefined = declared > limit ? undefined : [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) chunks = undefined;
    else chunks?.push(chunk);
  });
  req.on('end', () => done(chunks && (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))));
}
