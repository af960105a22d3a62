import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration, parseMemoryMB, parseSize } from '../../../src/scenario/units.js';

describe('durations', () => {
  test.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['6h', 21_600_000],
    ['.5s', 500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['30', '', 's', '1.s', '2 minutes', '-1s', '1d', '1S', '1e3ms'])(
    '"%s" is not a duration',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  test('a formatted duration (e.g. 1h2m3s) adds back up to the same ms, for whole seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (s) => {
        const text = formatDuration(s * 1000);
        const total = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)].reduce(
          (sum, m) => sum + (parseDuration(`${m[1]}${m[2]}`) ?? Number.NaN),
          0,
        );
        expect(total).toBe(s * 1000);
      }),
    );
  });

  test('short durations keep their unit', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(3_600_000)).toBe('1h');
  });
});

describe('sizes', () => {
  test.each([
    ['10B', 10],
    ['1KB', 1024],
    ['4MB', 4 * 1024 ** 2],
    ['1GB', 1024 ** 3],
    ['1.5KB', 1536],
  ])('%s is %d bytes (KB = 1024)', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  test.each(['10', '1TB', 'MB', '1 kb'])('"%s" is not a size', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });

  test('memory is whole MB: integers or sizes', () => {
    expect(parseMemoryMB(512)).toBe(512);
    expect(parseMemoryMB('1769MB')).toBe(1769);
    expect(parseMemoryMB('1GB')).toBe(1024);
    expect(parseMemoryMB('1.5GB')).toBe(1536);
    expect(parseMemoryMB('1.5MB')).toBeUndefined();
    expect(parseMemoryMB(128.5)).toBeUndefined();
  });
});
