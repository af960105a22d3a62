/**
 * The Lambda Invoke and control-plane REST API over HTTP, so `@aws-sdk/client-lambda`, the AWS CLI
 * and Artillery workers can call the emulator with `endpoint: http://127.0.0.1:PORT`. Requests are
 * not signature-checked (any credentials work). Loopback only unless a host is given.
 *
 * @example
 *   const http = await startHttpApi(await createEmulator(), { port: 9001 });
 *   // new LambdaClient({ endpoint: http.url, region: 'us-east-1', credentials: {...} })
 *   await http.close();
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../core/errors.js';
import { readBody } from './http-body.js';
import { serveControl } from './http-control.js';
import { sendServiceError, toServiceError, unknownOperation } from './http-errors.js';
import { serveInvoke } from './http-invoke.js';
import { isLogsRequest, serveLogs } from './http-logs.js';
import { PROVISIONED_OPERATIONS, ProvisionedConfigs, type ProvisionedOperation } from './http-provisioned.js';
import { matchRoute, parseFunctionRef } from './http-routes.js';
import { isStsRequest, serveSts } from './http-sts.js';
import type { LogStore } from './log-store.js';
import type { LambdaApi } from './types.js';

export interface HttpApiOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (the system picks one). */
  port?: number;
  /** The account STS GetCallerIdentity names; default 123456789012 (the emulator's ARNs). */
  accountId?: string;
  /** The functions' log lines, served to CloudWatch Logs FilterLogEvents (the emulator's onLog feeds it). */
  logs?: LogStore;
}

export interface HttpApi {
  /** `http://host:port`, ready to be a client's endpoint. */
  url: string;
  port: number;
  /** Stops listening and drops open connections. The emulator itself is left running. */
  close(): Promise<void>;
}

/** Control-plane bodies are small JSON documents. */
const CONTROL_BODY_LIMIT_BYTES = 1024 * 1024;

/** Serves `api` over HTTP; a port in use is an InputError (exit code 2). */
export async function startHttpApi(api: LambdaApi, options: HttpApiOptions = {}): Promise<HttpApi> {
  const host = options.host ?? '127.0.0.1';
  const accountId = options.accountId ?? '123456789012';
  const provisioned = new ProvisionedConfigs();
  const server = createServer({ keepAlive: true }, (req, res) => {
    void handle(api, req, res, accountId, options.logs, provisioned);
  });
  // Keep idle SDK connections open longer than the SDK's own idle timeout, so requests never race a close.
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, host, options.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

async function handle(
  api: LambdaApi,
  req: IncomingMessage,
  res: ServerResponse,
  accountId: string,
  logs: LogStore | undefined,
  provisioned: ProvisionedConfigs,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const qualifier =
      q < 0 ? undefined : (new URLSearchParams(url.slice(q + 1)).get('Qualifier') ?? undefined);
    const match = matchRoute(req.method ?? 'GET', pathname);
    const amzTarget = req.headers['x-amz-target'];
    const target = typeof amzTarget === 'string' ? amzTarget : undefined;
    if (logs !== undefined && target !== undefined && isLogsRequest(req.method ?? 'GET', pathname, target)) {
      serveLogs(
        logs,
        target,
        await readBody(req, CONTROL_BODY_LIMIT_BYTES, 'FilterLogEvents'),
        res,
        requestId,
      );
      return;
    }
    if (match === undefined && isStsRequest(req.method ?? 'GET', pathname)) {
      serveSts(await readBody(req, CONTROL_BODY_LIMIT_BYTES, 'GetCallerIdentity'), res, accountId, requestId);
      return;
    }
    if (match === undefined) {
      await readBody(req, CONTROL_BODY_LIMIT_BYTES, 'unknown');
      throw unknownOperation(req.method ?? 'GET', pathname);
    }
    if (match.operation === 'Invoke') {
      await serveInvoke(api, req, res, match.functionName ?? '', qualifier, requestId);
      return;
    }
    const body = await readBody(req, CONTROL_BODY_LIMIT_BYTES, match.operation);
    const result = isProvisionedOperation(match.operation)
      ? await provisioned.serve(
          api,
          match.operation,
          parseFunctionRef(match.functionName ?? '', qualifier),
          body,
        )
      : await serveControl(api, match, qualifier, body);
    const text = result.json === undefined ? '' : JSON.stringify(result.json);
    res.writeHead(result.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': requestId,
    });
    res.end(text);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendServiceError(res, toServiceError(err), requestId);
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(
          new InputError('PORT_IN_USE', `port ${port} is in use; pick another with --port`, { cause: err }),
        );
      } else if (err.code === 'EACCES') {
        reject(
          new InputError('PORT_DENIED', `port ${port} needs privileges; pick one above 1023 with --port`),
        );
      } else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
        reject(
          new InputError('BAD_HOST', `cannot listen on host '${host}': no such local address; check --host`),
        );
      } else {
        reject(err);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function isProvisionedOperation(operation: string): operation is ProvisionedOperation {
  return (PROVISIONED_OPERATIONS as readonly string[]).includes(operation);
}
