/**
 * The client request behind an API Gateway event, read from options once and shaped by the REST
 * (v1) and HTTP API (v2) builders: header and query pairs keep repeats, so each payload version
 * can fold them its own way.
 */
import { InputError } from '../core/errors.js';
import type { Build } from './define.js';
import { base64 } from './encoding.js';
import { enforceLimit, Limits } from './limits.js';
import { hex, int, ipv4, pick } from './random.js';

export type Pairs = [string, string][];

export interface ClientRequest {
  method: string;
  path: string;
  query: Pairs;
  /** The query string as the client sent it, without `?`. */
  rawQuery: string;
  headers: Pairs;
  body: string | undefined;
  isBase64Encoded: boolean;
  sourceIp: string;
  userAgent: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'curl/8.7.1',
  'okhttp/4.12.0',
  'python-requests/2.32.3',
  'aws-sdk-js/3.600.0',
];

export function readRequest(b: Build): ClientRequest {
  const { o, r } = b;
  const method = (
    o.string('method') ?? pick(r, ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'])
  ).toUpperCase();
  if (!METHODS.includes(method)) o.fail('method', METHODS.join(', '), o.raw('method'));
  const [rawPath, pathQuery] = splitOnce(
    o.string('path') ?? `/${r.faker.word.noun()}/${int(r, 1, 99_999)}`,
    '?',
  );
  if (!rawPath.startsWith('/')) o.fail('path', 'a path starting with "/"', rawPath);
  const query = pathQuery !== undefined ? parseQueryString(pathQuery) : readPairs(b, 'query', true);
  const rawQuery =
    pathQuery ?? query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const userAgent = o.string('userAgent') ?? pick(r, AGENTS);
  const sourceIp = o.string('sourceIp') ?? ipv4(r);
  const { body, isBase64Encoded, contentType } = readBody(b, method);
  const headers: Pairs = [];
  if (contentType) headers.push(['Content-Type', contentType]);
  headers.push(['User-Agent', userAgent], ['X-Forwarded-For', sourceIp], ...readPairs(b, 'headers', false));
  return { method, path: rawPath, query, rawQuery, headers, body, isBase64Encoded, sourceIp, userAgent };
}

/** `body` as text or JSON; with `binary`, the bytes are base64-encoded and flagged, as API Gateway does. */
function readBody(
  b: Build,
  method: string,
): { body: string | undefined; isBase64Encoded: boolean; contentType?: string } {
  const { o, r } = b;
  const given = o.json('body');
  let body: string | undefined;
  let contentType: string | undefined;
  if (typeof given === 'string') body = given;
  else if (given !== undefined && given !== null) {
    body = JSON.stringify(given);
    contentType = 'application/json';
  } else if (!o.has('body') && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
    body = JSON.stringify({ id: hex(r, 12), name: r.faker.commerce.productName(), quantity: int(r, 1, 20) });
    contentType = 'application/json';
  }
  const binary = o.bool('binary') ?? false;
  if (body !== undefined) enforceLimit('apigateway', Buffer.byteLength(body), Limits.apiGatewayPayload);
  if (binary && body !== undefined)
    return { body: base64(body), isBase64Encoded: true, contentType: 'application/octet-stream' };
  return contentType ? { body, isBase64Encoded: false, contentType } : { body, isBase64Encoded: false };
}

/** Pairs from an object (values may be lists), `k=v` strings, or a query string. */
function readPairs(b: Build, name: string, queryString: boolean): Pairs {
  const v = b.o.json(name);
  if (v === undefined || v === null) return [];
  if (typeof v === 'string' && queryString && !v.includes('='))
    return b.o.fail(name, 'k=v pairs or an object', v);
  if (typeof v === 'string' && queryString) return parseQueryString(v.replace(/^\?/, ''));
  const items = typeof v === 'string' ? [v] : v;
  const pairs: Pairs = [];
  if (Array.isArray(items)) {
    for (const item of items) {
      const eq = typeof item === 'string' ? item.indexOf('=') : -1;
      if (typeof item !== 'string' || eq <= 0) return b.o.fail(name, 'k=v pairs or an object', item);
      pairs.push([item.slice(0, eq), item.slice(eq + 1)]);
    }
    return pairs;
  }
  if (typeof items === 'object') {
    for (const [k, val] of Object.entries(items)) {
      for (const one of Array.isArray(val) ? val : [val]) pairs.push([k, String(one)]);
    }
    return pairs;
  }
  return b.o.fail(name, 'k=v pairs or an object', v);
}

function parseQueryString(text: string): Pairs {
  if (text === '') return [];
  return text.split('&').map((part) => {
    const [k, v = ''] = splitOnce(part, '=');
    return [decodeQuery(k), decodeQuery(v)];
  });
}

function decodeQuery(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * Matches a path against a resource template (`/pets/{id}`, `/{proxy+}`); returns the path
 * parameters, or throws naming the template when the path does not fit it.
 */
export function matchResource(template: string, path: string, option: string): Record<string, string> {
  const want = template.split('/');
  const got = path.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const seg = want[i] ?? '';
    const param = /^\{(\w+)(\+?)\}$/.exec(seg);
    if (param?.[1] && param[2] === '+' && i < got.length) {
      params[param[1]] = decodeQuery(got.slice(i).join('/'));
      return params;
    }
    const actual = got[i];
    if (actual === undefined) break;
    if (param?.[1] && actual !== '') params[param[1]] = decodeQuery(actual);
    else if (seg !== actual) break;
    if (i === want.length - 1 && got.length === want.length) return params;
  }
  throw new InputError(
    'EVENT_OPTION',
    `apigateway option "${option}": path "${path}" does not match "${template}"`,
  );
}
