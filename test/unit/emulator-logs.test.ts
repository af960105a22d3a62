import { describe, expect, it } from 'vitest';
import { exitError, postedErrorType, timedOut } from '../../src/emulator/function-errors.js';
import { cpuShare } from '../../src/emulator/limits/cpu-share.js';
import { billedMs, LineSplitter, reportLine, TAIL_BYTES, TailBuffer } from '../../src/emulator/logs.js';

describe('REPORT line', () => {
  it('matches Lambda: tab-separated, two decimals, trailing tab, Init Duration on cold starts', () => {
    const line = reportLine({
      requestId: 'r-1',
      durationMs: 12.3449,
      billedDurationMs: billedMs(12.3449, 98.761),
      memorySizeMB: 128,
      maxMemoryUsedMB: 45,
      initDurationMs: 98.761,
    });
    expect(line).toBe(
      'REPORT RequestId: r-1\tDuration: 12.34 ms\tBilled Duration: 112 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 98.76 ms\t',
    );
    const warm = reportLine({
      requestId: 'r-2',
      durationMs: 0.2,
      billedDurationMs: billedMs(0.2),
      memorySizeMB: 256,
      maxMemoryUsedMB: 60,
    });
    expect(warm).toBe(
      'REPORT RequestId: r-2\tDuration: 0.20 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\tMax Memory Used: 60 MB\t',
    );
  });
});

describe('tail and lines', () => {
  it('keeps exactly the last 4 KB of an invoke log', () => {
    const tail = new TailBuffer();
    for (let i = 0; i < 100; i++) tail.push(`${String(i).padStart(4, '0')}${'.'.repeat(95)}\n`);
    const text = Buffer.from(tail.toBase64(), 'base64').toString();
    expect(text.length).toBe(TAIL_BYTES);
    expect(text.endsWith(`0099${'.'.repeat(95)}\n`)).toBe(true);
  });

  it('splits chunks into lines across chunk boundaries', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    splitter.push('ab');
    splitter.push('c\nde\n\nf');
    splitter.flush();
    expect(lines).toEqual(['abc', 'de', '', 'f']);
  });
});

describe('platform errors', () => {
  it('words exits, signals and timeouts as Lambda does', () => {
    expect(JSON.parse(exitError('id-1', 3, null).payload.toString())).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: id-1 Error: Runtime exited with error: exit status 3',
    });
    expect(exitError('id-2', null, 'SIGSEGV').errorMessage).toBe(
      'RequestId: id-2 Error: Runtime exited with error: signal: segmentation fault',
    );
    expect(JSON.parse(timedOut('id-3', 3).payload.toString()).errorMessage).toBe(
      'RequestId: id-3 Error: Task timed out after 3.00 seconds',
    );
  });

  it('takes errorType from the body, else a normalised header', () => {
    expect(postedErrorType(Buffer.from('{"errorType":"TypeError"}'), 'Runtime.X')).toBe('TypeError');
    expect(postedErrorType(Buffer.from('oops'), 'Function.BadThing')).toBe('Function.BadThing');
    expect(postedErrorType(Buffer.from('oops'), 'weird')).toBe('Runtime.Unknown');
    expect(postedErrorType(Buffer.from('oops'), 'Function.lower')).toBe('Function.Unknown');
  });
});

describe('CPU share', () => {
  it('is memory/1769 of a core, capped at the host', () => {
    expect(cpuShare(1769, 8)).toBe(1);
    expect(cpuShare(128, 8)).toBeCloseTo(0.0724, 3);
    expect(cpuShare(10_240, 8)).toBeCloseTo(10_240 / 1769, 6);
    expect(cpuShare(10_240, 2)).toBe(2);
  });
});
