import { describe, expect, it } from 'vitest';
import { mdCell, renderMarkdown } from '../../../src/report/markdown.js';
import { samplePoint, sampleResults } from '../metrics/helpers.js';

describe('the Markdown summary', () => {
  it('escapes cells so a name cannot break the table or inject HTML', () => {
    expect(mdCell('a|b <img src=x onerror=alert(1)> *x* `c`\nnext')).toBe(
      'a\\|b &lt;img src=x onerror=alert(1)&gt; \\*x\\* \\`c\\` next',
    );
    const results = sampleResults([samplePoint(512)]);
    const s = results.points[0]?.series[0];
    if (!s) throw new Error('no series');
    s.key.functionName = 'evil|<b>fn</b>';
    const md = renderMarkdown(results, []);
    const row = md.split('\n').find((l) => l.startsWith('| evil'));
    expect(row).toBe(
      '| evil\\|&lt;b&gt;fn&lt;/b&gt; | 512 MB | 195 | 4 (2.01%) | 4 | 2 (1.03%) | 24.0 ms | 28.0 ms | 400 ms | 400 ms | 400 ms | 64 MB |',
    );
  });

  it('states the sweep recommendation when the results carry one', () => {
    const results = sampleResults();
    expect(renderMarkdown(results, [])).not.toContain('Memory recommendation');
    results.sweep = {
      functionName: 'resize',
      strategy: 'speed',
      percentile: 'p90',
      alpha: 0.01,
      constraints: { maxErrorRate: 0.01 },
      order: 'interleaved',
      repeat: 1,
      slices: 4,
      coldStarts: 0,
      architectures: ['x86_64'],
      prices: { source: 'test', date: '2025-01-01', region: 'us-east-1', currency: 'USD' },
      settings: [],
      recommendation: {
        memoryMB: 1024,
        summary: '1024 MB: fastest p90',
        fastestMemoryMB: 1024,
        perMillionUsd: 1,
        percentileUs: 28_000,
      },
      notes: [],
    };
    expect(renderMarkdown(results, [])).toContain(
      '**Memory recommendation for resize: 1024 MB.** 1024 MB: fastest p90',
    );
  });
});
