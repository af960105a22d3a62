/**
 * The Invoke hot path without the SDK: each call is signed with the SDK's own SigV4 signer
 * (@smithy/signature-v4) and sent over a keep-alive undici pool. The SDK's InvokeCommand spends
 * about half a millisecond of CPU per call in middleware and serialisation, which caps one harness
 * core near 2,000 invokes/s; this path does the same request (same path, headers, signature) for a
 * fraction of that. The control plane keeps the SDK. No retries: a throttle is a measurement.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { Pool } from 'undici';
import type { InvocationResult, InvokeRequest } from '../types.js';
import { errorTypeFromHeader, resultFromInvoke, resultFromServiceError } from './invoke-result.js';
import { NodeSha256 } from './sha256.js';

export interface HttpInvokerOptions {
  /** `https://lambda.<region>.amazonaws.com` or a local endpoint such as `http://127.0.0.1:9001`. */
  endpoint: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** Most connections open at once (default 256); keep-alive reuses them. */
  connections?: number;
  /** Longest wait for an answer: a function may run 15 minutes (default 16 minutes). */
  timeoutMs?: number;
}

export interface Invoker {
  invoke(req: InvokeRequest): Promise<InvocationResult>;
  close(): Promise<void>;
}

/** Credentials that expire get fetched again this long before they do. */
const REFRESH_BEFORE_MS = 5 * 60_000;

/** An Invoker over a signed keep-alive HTTP pool. */
export function createHttpInvoker(options: HttpInvokerOptions): Invoker {
  const url = new URL(options.endpoint);
  const timeoutMs = options.timeoutMs ?? 16 * 60_000;
  const pool = new Pool(url.origin, {
    connections: options.connections ?? 256,
    keepAliveTimeout: 60_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const credentials = cachedCredentials(options.credentials);
  const signer = new SignatureV4({
    service: 'lambda',
    region: options.region,
    credentials,
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const basePath = url.pathname.replace(/\/$/, '');
  const hostHeader = url.host;

  return {
    async invoke(req) {
      const start = process.hrtime.bigint();
      const elapsedUs = () => Number((process.hrtime.bigint() - start) / 1000n);
      const body = typeof req.payload === 'string' ? Buffer.from(req.payload) : req.payload;
      const path = `${basePath}/2015-03-31/functions/${encodeURIComponent(req.functionName)}/invocations`;
      try {
        const signed = await signer.sign({
          method: 'POST',
          protocol: url.protocol,
          hostname: url.hostname,
          path,
          query: { Qualifier: req.qualifier },
          headers: {
            host: hostHeader,
            'content-type': 'application/json',
            'x-amz-invocation-type': req.type,
            'x-amz-log-type': req.type === 'RequestResponse' ? 'Tail' : 'None',
          },
          body,
        });
        const res = await pool.request({
          method: 'POST',
          path: `${path}?Qualifier=${encodeURIComponent(req.qualifier)}`,
          headers: signed.headers,
          body,
        });
        const payload = new Uint8Array(await res.body.arrayBuffer());
        const h = res.headers;
        if (res.statusCode >= 300) {
          return resultFromServiceError(serviceError(res.statusCode, h, payload), elapsedUs());
        }
        return resultFromInvoke(
          {
            statusCode: res.statusCode,
            payload,
            ...opt('functionError', header(h, 'x-amz-function-error')),
            ...opt('logResult', header(h, 'x-amz-log-result')),
            ...opt('executedVersion', header(h, 'x-amz-executed-version')),
            ...opt('requestId', header(h, 'x-amzn-requestid')),
          },
          elapsedUs(),
        );
      } catch (error) {
        // A network failure is the service's failure as the client saw it, not a harness crash.
        const code = (error as { code?: unknown }).code;
        return resultFromServiceError(
          { errorType: typeof code === 'string' ? code : 'NetworkError', message: String(error) },
          elapsedUs(),
        );
      }
    },
    close: () => pool.close(),
  };
}

type Headers = Record<string, string | string[] | undefined>;

function header(h: Headers, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** The service error in a 4xx/5xx answer: the type from x-amzn-ErrorType, the Reason from the body. */
function serviceError(status: number, h: Headers, payload: Uint8Array) {
  let doc: Record<string, unknown> = {};
  try {
    doc = JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status is all there is.
  }
  const errorType =
    errorTypeFromHeader(header(h, 'x-amzn-errortype')) ??
    (typeof doc.__type === 'string' ? errorTypeFromHeader(doc.__type.split('#').pop()) : undefined) ??
    (status === 429 ? 'TooManyRequestsException' : `Http${status}`);
  const out: { errorType: string; message?: string; reason?: string; retryAfterS?: number } = { errorType };
  const message = doc.message ?? doc.Message;
  if (typeof message === 'string') out.message = message;
  if (typeof doc.Reason === 'string') out.reason = doc.Reason;
  const retryAfter = Number(header(h, 'retry-after'));
  if (Number.isFinite(retryAfter) && header(h, 'retry-after') !== undefined) out.retryAfterS = retryAfter;
  return out;
}

/** The provider's credentials, fetched once and again only shortly before they expire. */
export function cachedCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  return () => {
    if (current === undefined || Date.now() > expiresAt - REFRESH_BEFORE_MS) {
      current = provider().then((c) => {
        expiresAt = c.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        return c;
      });
      current.catch(() => {
        current = undefined;
      });
    }
    return current;
  };
}
