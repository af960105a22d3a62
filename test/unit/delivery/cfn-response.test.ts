import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import {
  cfnServiceTimeoutMs,
  checkCfnResponse,
  withResponseUrl,
} from '../../../src/delivery/cfn-response.js';

const request = {
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1',
  RequestId: 'r-1',
  LogicalResourceId: 'Thing',
};
const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const response = (fields: object) => bytes({ PhysicalResourceId: 'p-1', ...request, ...fields });

describe('checkCfnResponse', () => {
  it('accepts SUCCESS and FAILED with a reason', () => {
    expect(
      checkCfnResponse(response({ Status: 'SUCCESS', Data: { a: '1' }, NoEcho: true }), request),
    ).toEqual({
      valid: true,
      status: 'SUCCESS',
      physicalResourceId: 'p-1',
    });
    expect(checkCfnResponse(response({ Status: 'FAILED', Reason: 'nope' }), request)).toEqual({
      valid: true,
      status: 'FAILED',
      reason: 'nope',
      physicalResourceId: 'p-1',
    });
  });

  const invalid: Array<[string, Uint8Array, RegExp]> = [
    [
      'a body over 4,096 bytes',
      response({ Status: 'SUCCESS', Data: { x: 'y'.repeat(4100) } }),
      /at most 4096/,
    ],
    ['a body that is not JSON', bytes('SUCCESS'), /not JSON/],
    ['a JSON array', bytes([1]), /not a JSON object/],
    ['an unknown Status', response({ Status: 'OK' }), /Status must be SUCCESS or FAILED, got "OK"/],
    ['FAILED without a Reason', response({ Status: 'FAILED' }), /Reason is required/],
    [
      'an empty PhysicalResourceId',
      response({ Status: 'SUCCESS', PhysicalResourceId: '' }),
      /PhysicalResourceId/,
    ],
    [
      'a PhysicalResourceId over 1 KB',
      response({ Status: 'SUCCESS', PhysicalResourceId: 'p'.repeat(1025) }),
      /longer than 1024/,
    ],
    [
      'a RequestId that is not echoed',
      response({ Status: 'SUCCESS', RequestId: 'other' }),
      /RequestId "other" does not echo/,
    ],
    [
      'a missing LogicalResourceId',
      bytes({ Status: 'SUCCESS', PhysicalResourceId: 'p', StackId: request.StackId, RequestId: 'r-1' }),
      /LogicalResourceId/,
    ],
    ['Data that is not an object', response({ Status: 'SUCCESS', Data: 'x' }), /Data must be a JSON object/],
  ];
  it('judges the full size of a body the endpoint kept only the start of', () => {
    const verdict = checkCfnResponse(response({ Status: 'SUCCESS' }), request, 70_000);
    expect(verdict).toEqual({
      valid: false,
      problem: 'response body is 70000 bytes; CloudFormation accepts at most 4096',
    });
  });

  for (const [what, body, problem] of invalid) {
    it(`rejects ${what}`, () => {
      const verdict = checkCfnResponse(body, request);
      expect(verdict.valid).toBe(false);
      if (!verdict.valid) expect(verdict.problem).toMatch(problem);
    });
  }
});

describe('withResponseUrl', () => {
  it('replaces ResponseURL and keeps every other field', () => {
    const patched = JSON.parse(
      withResponseUrl(
        JSON.stringify({ ResponseURL: 'https://s3/x', RequestId: 'r' }),
        'http://127.0.0.1:1/cfn/3',
      ),
    );
    expect(patched).toEqual({ ResponseURL: 'http://127.0.0.1:1/cfn/3', RequestId: 'r' });
  });
  it('rejects a payload that is not a JSON object', () => {
    expect(() => withResponseUrl('[1]', 'u')).toThrow(InputError);
    expect(() => withResponseUrl('nope', 'u')).toThrow(/must be a JSON object/);
  });
});

describe('cfnServiceTimeoutMs', () => {
  it('reads ServiceTimeout seconds (1–3600) from ResourceProperties', () => {
    expect(cfnServiceTimeoutMs({ ResourceProperties: { ServiceTimeout: '90' } })).toBe(90_000);
    expect(cfnServiceTimeoutMs({ ResourceProperties: { ServiceTimeout: '3600' } })).toBe(3_600_000);
    expect(cfnServiceTimeoutMs({ ResourceProperties: { ServiceTimeout: '0' } })).toBeUndefined();
    expect(cfnServiceTimeoutMs({ ResourceProperties: { ServiceTimeout: '3601' } })).toBeUndefined();
    expect(cfnServiceTimeoutMs({ ResourceProperties: {} })).toBeUndefined();
    expect(cfnServiceTimeoutMs({})).toBeUndefined();
  });
});
