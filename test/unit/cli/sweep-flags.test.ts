import { describe, expect, it } from 'vitest';
import { parseArchitectures, parseMaxLatency, parseMemoryList } from '../../../src/cli/sweep/parse-flags.js';
import { caughtInputError } from '../../helpers/input-error.js';

describe('sweep flags', () => {
  it('reads memory lists and ranges, sorted and without duplicates', () => {
    expect(parseMemoryList('1024,128,256,128')).toEqual([128, 256, 1024]);
    const all = parseMemoryList('128..3008/64');
    expect(all[0]).toBe(128);
    expect(all.at(-1)).toBe(3008);
    expect(all).toHaveLength(46);
    expect(parseMemoryList('128..512/128,1769')).toEqual([128, 256, 384, 512, 1769]);
  });

  it('names the flag and what was expected', () => {
    expect(caughtInputError(() => parseMemoryList('64,128')).toLine()).toBe(
      'command line: --memory: 64 MB: Lambda allows 128 to 10240 MB',
    );
    expect(caughtInputError(() => parseMemoryList('lots')).toLine()).toMatch(
      /--memory: 'lots': expected MB values/,
    );
    expect(caughtInputError(() => parseMemoryList('512..256')).toLine()).toMatch(/FROM ≤ TO/);
  });

  it('reads latency constraints in µs', () => {
    expect(parseMaxLatency('p99<300ms')).toEqual({ percentile: 'p99', us: 300_000 });
    expect(parseMaxLatency('p90 < 1.5s')).toEqual({ percentile: 'p90', us: 1_500_000 });
    expect(parseMaxLatency('p50<800us')).toEqual({ percentile: 'p50', us: 800 });
    expect(caughtInputError(() => parseMaxLatency('p42<1s')).toLine()).toMatch(
      /--max-latency: 'p42<1s': expected p50\|p90\|p99 < TIME/,
    );
  });

  it('reads architectures', () => {
    expect(parseArchitectures('x86_64,arm64')).toEqual(['x86_64', 'arm64']);
    expect(caughtInputError(() => parseArchitectures('riscv')).toLine()).toMatch(
      /--architecture: 'riscv': expected x86_64 or arm64/,
    );
  });
});
