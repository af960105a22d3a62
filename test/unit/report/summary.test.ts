import { describe, expect, it } from 'vitest';
import { formatSummary, formatUs } from '../../../src/report/summary.js';
import { samplePoint, sampleResults } from '../metrics/helpers.js';

describe('formatSummary', () => {
  it('prints one aligned row per function x memory with latency, cold starts and errors', () => {
    const text = formatSummary(sampleResults(), { resultsPath: 'reports/s3-burst-20250102/results.json' });
    if (process.env.SHOW_SUMMARY) console.log(text);
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('FUNCTION')) ?? '';
    expect(header).toMatch(
      /FUNCTION\s+MEM MB\s+INVOKES\s+ERRORS\s+COLD\s+P50\s+P90\s+P99\s+MAX\s+INIT P50\/MAX/,
    );
    const rows = lines.filter((l) => l.startsWith('resize'));
    expect(rows).toHaveLength(2);
    // Columns line up: every row as long as the header's right edge.
    for (const row of rows) expect(row.length).toBe(header.length);
    // 128 MB point: 199 calls, 4 throttled → 195 invocations, 4 errors, 2 cold; warm ≈ 3×(20…29) ms.
    expect(rows[0]).toMatch(/^resize\s+128\s+195\s+4\s+2\s+/);
    expect(rows[0]).toMatch(/1\.20s/); // max: the 400 ms cold start × 3
    expect(rows[1]).toMatch(/^resize\s+1024\s+195\s+4\s+2\s+2\d\.\dms\s+/);
    expect(text).toMatch(/errors resize 128 MB: Error x4/);
    expect(text).toMatch(/ledger: 400 arrivals = 382 succeeded \+ 8 failed \+ 10 dropped \(balanced\)/);
    expect(text).toMatch(/WARNING: 2 arrival\(s\) dropped by the harness/);
    expect(text).toMatch(/harness: ok/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('results: reports/s3-burst-20250102/results.json');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
  });

  it('names the invocations that ran past an API Gateway integration timeout', () => {
    const results = sampleResults([samplePoint(512)]);
    const first = results.points[0]?.series[0];
    if (first) first.counters.answeredAfterIntegrationTimeout = 3;
    const text = formatSummary(results);
    expect(text).toMatch(
      /integration timeout resize 512 MB: 3 client\(s\) got 504 while the function ran on/,
    );
    expect(formatSummary(sampleResults([samplePoint(512)]))).not.toMatch(/integration timeout/);
  });

  it('is plain ASCII without color and uses ANSI colours with it', () => {
    const plain = formatSummary(sampleResults());
    expect([...plain].every((ch) => ch === '\n' || (ch >= ' ' && ch <= '~'))).toBe(true);
    const colored = formatSummary(sampleResults(), { color: true });
    expect(colored).toContain('\x1b[31m');
    expect(colored.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '')).toBe(plain);
  });

  it('says loudly when the ledger does not add up, and when the harness saturated', () => {
    const results = sampleResults([samplePoint(512)]);
    results.ledger.balanced = false;
    results.ledger.discrepancies = [
      's3→resize:mem-512 (512 MB): 200 arrivals but buckets add up to 199 (-1)',
    ];
    results.run.harness.samples.push({
      atEpochMs: 2,
      intervalMs: 1000,
      loopDelayP50Ms: 8,
      loopDelayP99Ms: 31.5,
      loopDelayMaxMs: 40,
      cpuPercent: 97,
      saturated: true,
      reason: 'event-loop delay p99 31.5 ms > 10 ms',
    });
    results.run.aborted = true;
    results.run.abortReason = 'SIGINT';
    const text = formatSummary(results);
    expect(text).toMatch(/LEDGER DOES NOT ADD UP: 200 arrivals/);
    expect(text).toMatch(/200 arrivals but buckets add up to 199/);
    expect(text).toMatch(
      /WARNING: harness saturated in 1 of 2 samples \(event-loop delay p99 31\.5 ms > 10 ms\)/,
    );
    expect(text.split('\n')[0]).toMatch(/ABORTED: SIGINT/);
  });

  it('adds a point column only when function x memory does not name each row', () => {
    const a = samplePoint(512);
    const b = samplePoint(512);
    a.label = 'batchSize=1';
    a.parameters = { batchSize: 1 };
    b.label = 'batchSize=10';
    b.parameters = { batchSize: 10 };
    const text = formatSummary(sampleResults([a, b]));
    expect(text).toMatch(/^POINT\s+FUNCTION/m);
    expect(text).toMatch(/^batchSize=10\s+resize\s+512/m);
    expect(formatSummary(sampleResults())).toMatch(/^FUNCTION\s+MEM MB/m);
  });

  it('formats durations compactly', () => {
    expect([
      formatUs(850),
      formatUs(12_345),
      formatUs(123_456),
      formatUs(1_234_567),
      formatUs(900_000_000),
    ]).toEqual(['850us', '12.3ms', '123ms', '1.23s', '900s']);
  });
});
