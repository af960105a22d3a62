import { describe, expect, it } from 'vitest';
import {
  MALFORMED_PROXY_RESPONSE,
  type ProxyVersion,
  proxyResponseStatus,
} from '../../../src/delivery/proxy-response.js';
import type { InvocationResult } from '../../../src/targets/types.js';

function ok(payload: string): InvocationResult {
  return { status: 'ok', payload: new TextEncoder().encode(payload), callLatencyUs: 1, cold: false };
}
function failed(status: InvocationResult['status'], errorType?: string): InvocationResult {
  return {
    status,
    payload: new Uint8Array(0),
    callLatencyUs: 1,
    cold: false,
    ...(errorType ? { errorType } : {}),
  };
}
const MALFORMED = (status: number) => ({ status, reason: MALFORMED_PROXY_RESPONSE });

describe('proxyResponseStatus v1 (REST API)', () => {
  const cases: Array<[string, string, { status: number; reason?: string }]> = [
    ['statusCode and body', '{"statusCode":200,"body":"hi"}', { status: 200 }],
    ['the function chose 404', '{"statusCode":404,"body":"missing"}', { status: 404 }],
    ['the function chose 503', '{"statusCode":503}', { status: 503 }],
    [
      'all documented fields',
      '{"statusCode":201,"headers":{"a":"1"},"multiValueHeaders":{"b":["1","2"]},"body":"","isBase64Encoded":false}',
      { status: 201 },
    ],
    [
      'null optional fields',
      '{"statusCode":200,"headers":null,"multiValueHeaders":null,"body":null}',
      { status: 200 },
    ],
    ['no statusCode', '{"body":"hi"}', MALFORMED(502)],
    ['statusCode as a string', '{"statusCode":"200","body":"hi"}', MALFORMED(502)],
    ['statusCode out of range', '{"statusCode":99,"body":"hi"}', MALFORMED(502)],
    ['statusCode not an integer', '{"statusCode":200.5}', MALFORMED(502)],
    ['body as an object', '{"statusCode":200,"body":{"a":1}}', MALFORMED(502)],
    ['a header value that is a number', '{"statusCode":200,"headers":{"a":1}}', MALFORMED(502)],
    ['multiValueHeaders not lists', '{"statusCode":200,"multiValueHeaders":{"a":"1"}}', MALFORMED(502)],
    ['isBase64Encoded as a string', '{"statusCode":200,"isBase64Encoded":"true"}', MALFORMED(502)],
    ['a field outside the contract', '{"statusCode":200,"body":"x","cookies":["a=b"]}', MALFORMED(502)],
    ['a JSON string', '"hello"', MALFORMED(502)],
    ['a JSON array', '[1,2]', MALFORMED(502)],
    ['null', 'null', MALFORMED(502)],
    ['not JSON', 'hello', MALFORMED(502)],
    ['empty', '', MALFORMED(502)],
  ];
  for (const [what, payload, expected] of cases) {
    it(`${what} → ${expected.status}`, () => {
      expect(proxyResponseStatus('v1', ok(payload))).toEqual(expected);
    });
  }
});

describe('proxyResponseStatus v2 (HTTP API)', () => {
  const cases: Array<[string, string, { status: number; reason?: string }]> = [
    [
      'a structured response',
      '{"statusCode":202,"body":"ok","cookies":["a=b"],"headers":{"x":"y"}}',
      { status: 202 },
    ],
    ['the function chose 418', '{"statusCode":418}', { status: 418 }],
    ['an object without statusCode (inferred 200)', '{"message":"hi"}', { status: 200 }],
    ['a JSON string (the body itself)', '"plain text"', { status: 200 }],
    ['a number', '42', { status: 200 }],
    ['null', 'null', { status: 200 }],
    ['an array', '[1,2]', { status: 200 }],
    ['an empty payload', '', { status: 200 }],
    ['unknown fields beside statusCode are ignored', '{"statusCode":200,"extra":1}', { status: 200 }],
    ['statusCode as a string', '{"statusCode":"200"}', MALFORMED(500)],
    ['body as an object', '{"statusCode":200,"body":{"a":1}}', MALFORMED(500)],
    ['cookies not strings', '{"statusCode":200,"cookies":[1]}', MALFORMED(500)],
    ['not JSON', '<html>', MALFORMED(500)],
  ];
  for (const [what, payload, expected] of cases) {
    it(`${what} → ${expected.status}`, () => {
      expect(proxyResponseStatus('v2', ok(payload))).toEqual(expected);
    });
  }
});

describe('proxyResponseStatus for failed invocations', () => {
  const cases: Array<[ProxyVersion, InvocationResult, { status: number; reason: string }]> = [
    ['v1', failed('function-error', 'TypeError'), { status: 502, reason: 'TypeError' }],
    ['v1', failed('timeout', 'Sandbox.Timedout'), { status: 502, reason: 'Sandbox.Timedout' }],
    ['v1', failed('out-of-memory', 'Runtime.OutOfMemory'), { status: 502, reason: 'Runtime.OutOfMemory' }],
    [
      'v1',
      failed('throttled', 'TooManyRequestsException'),
      { status: 500, reason: 'TooManyRequestsException' },
    ],
    ['v1', failed('service-error', 'ServiceException'), { status: 500, reason: 'ServiceException' }],
    ['v2', failed('function-error', 'TypeError'), { status: 500, reason: 'TypeError' }],
    ['v2', failed('timeout'), { status: 500, reason: 'timeout' }],
    ['v2', failed('throttled'), { status: 429, reason: 'TooManyRequestsException' }],
    [
      'v2',
      failed('service-error', 'ResourceNotFoundException'),
      { status: 500, reason: 'ResourceNotFoundException' },
    ],
  ];
  for (const [version, result, expected] of cases) {
    it(`${version} ${result.status} → ${expected.status}`, () => {
      expect(proxyResponseStatus(version, result)).toEqual(expected);
    });
  }
});
