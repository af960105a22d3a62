import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findReport,
  formatReportLine,
  parseReportLine,
  reportFromLogResult,
} from '../../src/targets/report-line.js';

// Lines in the exact format CloudWatch shows (tab-separated, trailing tab).
const WARM =
  'REPORT RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB\t';
const COLD =
  'REPORT RequestId: 6f0a5c1e-0b1f-4a8e-9d3c-2b7f1e8a9c40\tDuration: 2.87 ms\tBilled Duration: 3 ms\tMemory Size: 1024 MB\tMax Memory Used: 67 MB\tInit Duration: 152.61 ms\t';
const XRAY = `${COLD}\nXRAY TraceId: 1-5e1b4151-5ac6c58f5b5dbd6a3d0b2b37\tSegmentId: 6b2a0c2d3e4f5a6b\tSampled: true\t`;

describe('parseReportLine', () => {
  it('reads a warm REPORT line without init duration', () => {
    // Act
    const r = parseReportLine(WARM);
    // Assess
    expect(r).toEqual({
      requestId: '3604209a-e9a3-11e6-939a-754dd98c7be3',
      durationMs: 12.34,
      billedDurationMs: 13,
      memorySizeMB: 128,
      maxMemoryUsedMB: 18,
    });
  });

  it('reads the init duration of a cold start and keeps Duration apart from it', () => {
    const r = parseReportLine(COLD);
    expect(r?.durationMs).toBe(2.87);
    expect(r?.initDurationMs).toBe(152.61);
    expect(r?.billedDurationMs).toBe(3);
    expect(r?.memorySizeMB).toBe(1024);
    expect(r?.maxMemoryUsedMB).toBe(67);
  });

  it('accepts a line whose tabs were rewritten to spaces and a log-shipper prefix', () => {
    const r = parseReportLine(`2024-05-01T12:00:00.000Z ${WARM.replaceAll('\t', ' ')}`);
    expect(r?.durationMs).toBe(12.34);
    expect(r?.requestId).toBe('3604209a-e9a3-11e6-939a-754dd98c7be3');
  });

  it('returns undefined for START, END and truncated REPORT lines', () => {
    expect(parseReportLine('START RequestId: 3604209a Version: $LATEST')).toBeUndefined();
    expect(parseReportLine('END RequestId: 3604209a')).toBeUndefined();
    expect(parseReportLine('REPORT RequestId: 3604209a\tDuration: 12.34 ms\tBilled Dur')).toBeUndefined();
  });
});

describe('findReport and reportFromLogResult', () => {
  it('finds the last REPORT line in a Tail log with function output and an XRAY line', () => {
    const log = `START RequestId: a Version: $LATEST\n${WARM}\nSTART RequestId: b\n2024-05-01\tb\tINFO\thello\nEND RequestId: b\n${XRAY}\n`;
    expect(findReport(log)?.requestId).toBe('6f0a5c1e-0b1f-4a8e-9d3c-2b7f1e8a9c40');
  });

  it('decodes the base64 X-Amz-Log-Result header', () => {
    const header = Buffer.from(`START RequestId: x\n${WARM}\n`).toString('base64');
    expect(reportFromLogResult(header)?.billedDurationMs).toBe(13);
  });

  it('returns undefined when the tail holds no REPORT line', () => {
    expect(findReport('START RequestId: a\nhello\n')).toBeUndefined();
  });
});

describe('formatReportLine', () => {
  it('writes the AWS format', () => {
    const line = formatReportLine({
      requestId: '3604209a-e9a3-11e6-939a-754dd98c7be3',
      durationMs: 12.34,
      billedDurationMs: 13,
      memorySizeMB: 128,
      maxMemoryUsedMB: 18,
    });
    expect(line).toBe(WARM);
  });

  it('round-trips through parseReportLine (durations at Lambda’s 0.01 ms resolution)', () => {
    const report = fc.record(
      {
        requestId: fc.uuid(),
        durationMs: fc.integer({ min: 0, max: 90_000_000 }).map((n) => n / 100),
        billedDurationMs: fc.integer({ min: 1, max: 900_000 }),
        memorySizeMB: fc.integer({ min: 128, max: 10_240 }),
        maxMemoryUsedMB: fc.integer({ min: 1, max: 10_240 }),
        initDurationMs: fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 100),
      },
      { requiredKeys: ['requestId', 'durationMs', 'billedDurationMs', 'memorySizeMB', 'maxMemoryUsedMB'] },
    );
    fc.assert(
      fc.property(report, (r) => {
        expect(parseReportLine(formatReportLine(r))).toEqual(r);
      }),
    );
  });
});
