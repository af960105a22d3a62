/**
 * REPORT lines as AWS documents them (warm, cold, SnapStart restore, timeout, out of memory, JSON
 * log format), always the platform's last one, and Invoke answers mapped to InvocationResults.
 */
import { describe, expect, it } from 'vitest';
import { tooManyRequests } from '../../src/emulator/service-errors.js';
import { worstCaseCostUsd } from '../../src/targets/aws/estimate.js';
import {
  errorTypeFromHeader,
  resultFromInvoke,
  resultFromServiceError,
} from '../../src/targets/aws/invoke-result.js';
import { remoteFunction } from '../../src/targets/aws/prepare.js';
import { resultFromServiceError as localServiceErrorResult } from '../../src/targets/local.js';
import { findReport, parseReportLine, reportFromLogResult } from '../../src/targets/report-line.js';

const ID = 'c2a9b7e4-1d3f-4b8a-9e6c-0f5d2a7b3c91';
const WARM = `REPORT RequestId: ${ID}\tDuration: 4.21 ms\tBilled Duration: 5 ms\tMemory Size: 512 MB\tMax Memory Used: 71 MB\t`;
const RESTORE = `REPORT RequestId: ${ID}\tDuration: 20.13 ms\tBilled Duration: 229 ms\tMemory Size: 1024 MB\tMax Memory Used: 110 MB\tRestore Duration: 311.52 ms\tBilled Restore Duration: 208 ms\t`;
const TIMEOUT = `REPORT RequestId: ${ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 51 MB\tStatus: timeout`;
const OOM = `REPORT RequestId: ${ID}\tDuration: 812.40 ms\tBilled Duration: 813 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory`;
const JSON_REPORT = JSON.stringify({
  time: '2025-03-01T10:00:00.000Z',
  type: 'platform.report',
  record: {
    requestId: ID,
    metrics: {
      durationMs: 2.5,
      billedDurationMs: 160,
      memorySizeMB: 256,
      maxMemoryUsedMB: 64,
      initDurationMs: 157.3,
    },
    status: 'success',
  },
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('REPORT lines as the aws target reads them', () => {
  it('reads a SnapStart restore duration apart from the billed restore duration', () => {
    const r = parseReportLine(RESTORE);
    expect(r?.restoreDurationMs).toBe(311.52);
    expect(r?.initDurationMs).toBeUndefined();
    expect(r?.durationMs).toBe(20.13);
    expect(r?.billedDurationMs).toBe(229);
  });

  it('reads timeout and out-of-memory REPORT lines, which carry a Status field', () => {
    expect(parseReportLine(TIMEOUT)?.durationMs).toBe(3000);
    expect(parseReportLine(TIMEOUT)?.status).toBe('timeout');
    expect(parseReportLine(TIMEOUT)?.errorType).toBeUndefined();
    expect(parseReportLine(OOM)?.maxMemoryUsedMB).toBe(128);
    expect(parseReportLine(OOM)?.status).toBe('error');
    expect(parseReportLine(OOM)?.errorType).toBe('Runtime.OutOfMemory');
    expect(parseReportLine(WARM)?.status).toBeUndefined();
    const jsonTimeout = JSON_REPORT.replace('"status":"success"', '"status":"timeout"');
    expect(parseReportLine(jsonTimeout)?.status).toBe('timeout');
  });

  it('reads the JSON log format platform.report record', () => {
    expect(parseReportLine(JSON_REPORT)).toEqual({
      requestId: ID,
      durationMs: 2.5,
      billedDurationMs: 160,
      memorySizeMB: 256,
      maxMemoryUsedMB: 64,
      initDurationMs: 157.3,
    });
  });

  it("takes the platform's last REPORT even when the function printed one that imitates it", () => {
    const fake = `REPORT RequestId: ${ID}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 10240 MB\tMax Memory Used: 1 MB\tInit Duration: 9999.00 ms\t`;
    const log = `START RequestId: ${ID} Version: 3\n${ID}\tINFO\t${fake}\nEND RequestId: ${ID}\n${WARM}\n`;
    expect(findReport(log)?.memorySizeMB).toBe(512);
    expect(findReport(log, ID)?.initDurationMs).toBeUndefined();
  });

  it('with a request id, skips the REPORT of another request left earlier in the tail', () => {
    const other = WARM.replace(ID, 'aaaaaaaa-0000-0000-0000-000000000000').replace('4.21', '9.99');
    expect(findReport(`${WARM}\n${other}\n`, ID)?.durationMs).toBe(4.21);
    expect(findReport(`${WARM}\n${other}\n`)?.durationMs).toBe(9.99);
  });
});

describe('Invoke answers as InvocationResults', () => {
  it('a cold start is an invoke whose REPORT has an Init or a Restore Duration', () => {
    const json = resultFromInvoke(
      { statusCode: 200, payload: new Uint8Array(), logResult: b64(JSON_REPORT) },
      10,
    );
    const restored = resultFromInvoke(
      { statusCode: 200, payload: new Uint8Array(), logResult: b64(RESTORE) },
      10,
    );
    const warm = resultFromInvoke(
      { statusCode: 200, payload: new Uint8Array(), logResult: b64(WARM), executedVersion: '7' },
      10,
    );
    expect(json.cold).toBe(true);
    expect(json.initDurationMs).toBe(157.3);
    expect(restored.cold).toBe(true);
    expect(restored.restoreDurationMs).toBe(311.52);
    expect(warm.cold).toBe(false);
    expect(warm.executedVersion).toBe('7');
    expect(warm.status).toBe('ok');
  });

  it('maps timeouts (old and new wording) and out-of-memory kills to their own statuses', () => {
    const payload = (o: object) => new TextEncoder().encode(JSON.stringify(o));
    const timedOut = resultFromInvoke(
      {
        statusCode: 200,
        functionError: 'Unhandled',
        payload: payload({ errorMessage: '2025-01-01T00:00:00.000Z c2a9 Task timed out after 3.00 seconds' }),
        logResult: b64(TIMEOUT),
      },
      1,
    );
    const sandbox = resultFromInvoke(
      { statusCode: 200, functionError: 'Unhandled', payload: payload({ errorType: 'Sandbox.Timedout' }) },
      1,
    );
    const oom = resultFromInvoke(
      {
        statusCode: 200,
        functionError: 'Unhandled',
        payload: payload({ errorType: 'Runtime.ExitError', errorMessage: 'signal: killed' }),
        logResult: b64(OOM),
      },
      1,
    );
    const thrown = resultFromInvoke(
      { statusCode: 200, functionError: 'Unhandled', payload: payload({ errorType: 'TypeError' }) },
      1,
    );
    expect(timedOut.status).toBe('timeout');
    expect(sandbox.status).toBe('timeout');
    expect(oom.status).toBe('out-of-memory');
    expect(thrown.status).toBe('function-error');
    expect(thrown.errorType).toBe('TypeError');
  });

  it("keeps a throttle's Reason and Retry-After, and strips the suffix of x-amzn-ErrorType", () => {
    const type = errorTypeFromHeader(
      'TooManyRequestsException:http://internal.amazon.com/coral/com.amazon.coral.service/',
    );
    const r = resultFromServiceError(
      { errorType: type ?? '', reason: 'ConcurrentInvocationLimitExceeded', retryAfterS: 2 },
      5,
    );
    expect(r.status).toBe('throttled');
    expect(r.throttleReason).toBe('ConcurrentInvocationLimitExceeded');
    expect(r.retryAfterS).toBe(2);
    expect(resultFromServiceError({ errorType: 'ServiceException' }, 5).status).toBe('service-error');
    expect(reportFromLogResult(b64('no report here'))).toBeUndefined();
  });
});

describe('function names and ARNs', () => {
  const fn = (remoteName: string) => ({
    name: 'f',
    handler: '',
    codeDir: '',
    runtime: '',
    timeoutS: 3,
    environment: {},
    remoteName,
  });
  it('splits a qualifier off a name or an ARN, and leaves unqualified ones whole', () => {
    expect(remoteFunction(fn('orders:prod'))).toEqual({ name: 'orders', qualifier: 'prod' });
    expect(remoteFunction(fn('arn:aws:lambda:eu-west-1:111122223333:function:orders:7'))).toEqual({
      name: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
      qualifier: '7',
    });
    expect(remoteFunction(fn('arn:aws:lambda:eu-west-1:111122223333:function:orders'))).toEqual({
      name: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
    });
  });
});

describe('worst-case cost before a run', () => {
  it("prices every expected invocation at its point's memory for the whole timeout, plus requests", () => {
    const plan = {
      points: [
        { index: 0, memoryMB: { f: 1024 } },
        { index: 1, memoryMB: { f: 2048 } },
      ],
      sources: [{ expectedEvents: 1000, to: ['f'] }],
    } as unknown as Parameters<typeof worstCaseCostUsd>[0];
    // 1000 × 1 GB × 3 s + 1000 × 2 GB × 3 s = 9,000 GB-s at $0.0000166667, plus 2,000 requests at $0.20/M.
    expect(worstCaseCostUsd(plan, { f: 3 })).toBeCloseTo(9000 * 0.0000166667 + 2000 * 0.0000002, 10);
  });

  it('maps a throttle the same way on the local and the aws target', () => {
    const local = localServiceErrorResult(
      tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded'),
      7,
    );
    const aws = resultFromServiceError(
      {
        errorType: 'TooManyRequestsException',
        reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
        retryAfterS: 1,
      },
      7,
    );
    expect(local).toEqual(aws);
    expect(local.retryAfterS).toBe(1);
  });
});
