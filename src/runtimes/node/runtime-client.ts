/**
 * The Runtime API as a runtime sees it: GET /next (blocking, no client timeout: the process may be
 * frozen between invokes), POST /response, /error and /init/error, over keep-alive connections.
 * Two sockets, so the next /next can go out while the previous result's 202 is still on its way:
 * that takes one loopback round trip off every warm invoke.
 */
import { Agent, type IncomingHttpHeaders, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 2 });
const [host, port] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001').split(':');
const BASE = '/2018-06-01/runtime';

export interface NextEvent {
  headers: IncomingHttpHeaders;
  body: string;
}

function call(
  method: string,
  path: string,
  body?: string,
  extra?: Record<string, string>,
): Promise<NextEvent> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...extra };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = request({ host, port, path: BASE + path, method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function nextInvocation(): Promise<NextEvent> {
  return call('GET', '/invocation/next');
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
