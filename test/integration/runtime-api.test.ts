/**
 * The Runtime API server speaks HTTP/1.1 to any runtime: pipelined or one request at a time,
 * Content-Length or chunked bodies, Expect: 100-continue, split packets, Connection: close. A 202
 * to a result leaves together with the event of a /next pipelined behind it (one write, one wake-up
 * of the runtime), and at once when nothing is behind it. Raw sockets on 127.0.0.1, so every byte
 * on the wire is checked.
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_RESPONSE_BYTES,
  type NextRequest,
  type RuntimeApiHandler,
  RuntimeApiServer,
  type RuntimeEvent,
} from '../../src/emulator/runtime-api.js';

const BASE = '/2018-06-01/runtime';

/** A handler that records what the runtime sent and keeps every pending /next. */
function recorder(known = 'req-1') {
  const calls: string[] = [];
  const nexts: NextRequest[] = [];
  const bodies: Buffer[] = [];
  const handler: RuntimeApiHandler = {
    next: (request) => {
      calls.push('next');
      nexts.push(request);
    },
    result: (id, kind, body, errorType) => {
      calls.push(`${kind} ${id}${errorType ? ` ${errorType}` : ''}`);
      bodies.push(body);
      return id === known;
    },
    tooLarge: (id) => {
      calls.push(`too large ${id}`);
      return id === known;
    },
    initError: (body, errorType) => {
      calls.push(`init error ${errorType}`);
      bodies.push(body);
    },
  };
  return { handler, calls, nexts, bodies };
}

function event(requestId: string, payload = '{"n":1}'): RuntimeEvent {
  return {
    requestId,
    payload: Buffer.from(payload),
    deadlineMs: 1_700_000_000_000,
    invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    traceId: 'Root=1-00000000-000000000000000000000000',
    clientContext: '{\n"custom": {"k": "v"}\n}',
  };
}

/** A raw client: everything the server writes, as text, and each read as it arrived. */
async function client(server: RuntimeApiServer) {
  const [host, port] = server.address.split(':');
  const socket: Socket = connect(Number(port), host);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const reads: string[] = [];
  let closed = false;
  socket.on('data', (d: Buffer) => reads.push(d.toString('latin1')));
  socket.on('close', () => {
    closed = true;
  });
  const text = () => reads.join('');
  const until = async (predicate: (all: string) => boolean, ms = 2000) => {
    const end = Date.now() + ms;
    while (!predicate(text())) {
      if (Date.now() > end) throw new Error(`timed out; got ${JSON.stringify(text())}`);
      await sleep(5);
    }
  };
  return { socket, reads, text, until, closed: () => closed };
}

const post = (id: string, body: string, extra = '') =>
  `POST ${BASE}/invocation/${id}/response HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const getNext = (extra = '') => `GET ${BASE}/invocation/next HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

let servers: RuntimeApiServer[] = [];
afterEach(() => {
  for (const s of servers) s.close();
  servers = [];
});

async function serve(handler: RuntimeApiHandler) {
  const server = await RuntimeApiServer.listen(handler);
  servers.push(server);
  return server;
}

describe('Runtime API server', () => {
  it('answers a pipelined result and /next in order, the 202 leaving with the next event', async () => {
    const r = recorder();
    const c = await client(await serve(r.handler));
    c.socket.write(post('req-1', '{"ok":true}') + getNext());
    await c.until(() => r.calls.length === 2);
    expect(r.calls).toEqual(['response req-1', 'next']);
    expect(r.bodies[0]?.toString()).toBe('{"ok":true}');
    // The runtime is not woken for the 202 alone: it comes with the event.
    await sleep(50);
    expect(c.text()).toBe('');
    r.nexts[0]?.send(event('req-2'));
    await c.until((t) => t.includes('{"n":1}'));
    const all = c.text();
    expect(all.indexOf('HTTP/1.1 202 Accepted')).toBe(0);
    expect(all).toContain('{"status":"OK"}');
    const eventAt = all.indexOf('HTTP/1.1 200 OK');
    expect(eventAt).toBeGreaterThan(0);
    const head = all.slice(eventAt, all.indexOf('\r\n\r\n', eventAt));
    expect(head).toContain('Lambda-Runtime-Aws-Request-Id: req-2');
    expect(head).toContain('Lambda-Runtime-Deadline-Ms: 1700000000000');
    expect(head).toContain(
      'Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:f',
    );
    expect(head).toContain('Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000');
    // JSON text spread over lines is still one header line.
    expect(head).toContain('Lambda-Runtime-Client-Context: { "custom": {"k": "v"} }');
    expect(head).toContain('Content-Length: 7');
    expect(c.reads).toHaveLength(1);
  });

  it('answers a result at once when the runtime waits for the 202 before asking for more', async () => {
    const r = recorder();
    const c = await client(await serve(r.handler));
    c.socket.write(post('req-1', 'null'));
    await c.until((t) => t.includes('{"status":"OK"}'));
    expect(c.text()).toMatch(/^HTTP\/1\.1 202 Accepted\r\n/);
    c.socket.write(post('other', 'null'));
    await c.until((t) => t.includes('InvalidRequestID'));
    expect(c.text()).toContain('HTTP/1.1 400 Bad Request');
  });

  it('reads chunked bodies, bodies split into single bytes, and the error type header', async () => {
    const r = recorder();
    const c = await client(await serve(r.handler));
    const chunked =
      `POST ${BASE}/invocation/req-1/error HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n` +
      'Lambda-Runtime-Function-Error-Type: Function.Boom\r\n\r\n' +
      '5\r\n{"err\r\n9\r\norType":1\r\n1\r\n}\r\n0\r\n\r\n';
    for (const byte of Buffer.from(chunked)) {
      c.socket.write(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await c.until((t) => t.includes('{"status":"OK"}'));
    expect(r.calls).toEqual(['error req-1 Function.Boom']);
    expect(r.bodies[0]?.toString()).toBe('{"errorType":1}');
  });

  it('says 100 Continue to a runtime that asks before sending its body', async () => {
    const r = recorder();
    const c = await client(await serve(r.handler));
    c.socket.write(
      `POST ${BASE}/invocation/req-1/response HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n`,
    );
    await c.until((t) => t.includes('100 Continue'));
    c.socket.write('true');
    await c.until((t) => t.includes('{"status":"OK"}'));
    expect(c.text()).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 202 Accepted\r\n/);
    expect(r.bodies[0]?.toString()).toBe('true');
  });

  it('refuses a result over the limit with 413 after reading it, and unknown routes with 404', async () => {
    const r = recorder();
    const c = await client(await serve(r.handler));
    const big = 'x'.repeat(MAX_RESPONSE_BYTES + 1);
    c.socket.write(post('req-1', big));
    await c.until((t) => t.includes('RequestEntityTooLarge'), 10_000);
    expect(c.text()).toMatch(/^HTTP\/1\.1 413 Request Entity Too Large\r\n/);
    expect(r.calls).toEqual(['too large req-1']);
    c.socket.write(`GET ${BASE}/nowhere HTTP/1.1\r\nHost: x\r\n\r\n`);
    await c.until((t) => t.includes('no route GET'));
    expect(c.text()).toContain('HTTP/1.1 404 Not Found');
  });

  it('passes an init error on, and closes after the answer a client asked to be the last', async () => {
    const r = recorder();
    const c = await client(await serve(r.handler));
    c.socket.write(
      `POST ${BASE}/init/error HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n` +
        'Lambda-Runtime-Function-Error-Type: Runtime.ImportModuleError\r\nConnection: close\r\n\r\n{}',
    );
    await c.until((t) => t.includes('{"status":"OK"}'));
    expect(r.calls).toEqual(['init error Runtime.ImportModuleError']);
    expect(c.text()).toContain('Connection: close');
    await c.until(() => c.closed());
  });

  it('answers a request it cannot parse with 400 and closes; a closed /next is no longer open', async () => {
    const r = recorder();
    const server = await serve(r.handler);
    const c = await client(server);
    c.socket.write(getNext());
    await c.until(() => r.calls.length === 1);
    expect(r.nexts[0]?.open).toBe(true);
    c.socket.destroy();
    await sleep(50);
    expect(r.nexts[0]?.open).toBe(false);
    const bad = await client(server);
    bad.socket.write('NONSENSE\r\n\r\n');
    await bad.until(() => bad.closed());
    expect(bad.text()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});
