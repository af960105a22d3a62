import { describe, expect, it } from 'vitest';
import { knownMetricNames, metricKind } from '../../../src/ci/metric-namespace.js';
import { OPERATORS, parseThreshold, ThresholdSyntaxError } from '../../../src/ci/threshold-syntax.js';

function syntaxError(text: string): ThresholdSyntaxError {
  try {
    parseThreshold(text);
  } catch (err) {
    if (err instanceof ThresholdSyntaxError) return err;
    throw err;
  }
  throw new Error(`"${text}" parsed, expected a ThresholdSyntaxError`);
}

describe('parseThreshold', () => {
  it('reads a function-scoped latency threshold into µs', () => {
    expect(parseThreshold('thumbnailer.latency.p99 < 800ms')).toEqual({
      expression: 'thumbnailer.latency.p99 < 800ms',
      functionName: 'thumbnailer',
      metric: ['latency', 'p99'],
      kind: 'duration',
      operator: '<',
      limit: 800_000,
    });
  });

  it('reads a metric over every function, and one at a memory setting', () => {
    expect(parseThreshold('errors.rate < 0.1%')).toMatchObject({ metric: ['errors', 'rate'], kind: 'rate' });
    expect(parseThreshold('errors.rate < 0.1%').functionName).toBeUndefined();
    expect(parseThreshold('errors.rate < 0.1%').limit).toBeCloseTo(0.001, 12);
    expect(parseThreshold('resize@512.latency.warm.p50 <= 30ms')).toMatchObject({
      functionName: 'resize',
      memoryMB: 512,
      metric: ['latency', 'warm', 'p50'],
      limit: 30_000,
    });
  });

  it.each(OPERATORS)('accepts the operator %s with or without spaces', (op) => {
    expect(parseThreshold(`latency.p50 ${op} 1s`).operator).toBe(op);
    expect(parseThreshold(`latency.p50${op}1s`).operator).toBe(op);
  });

  it.each([
    ['latency.max < 250us', 250],
    ['latency.max < 250µs', 250],
    ['latency.max < 1.5ms', 1500],
    ['latency.max < 2s', 2_000_000],
    ['latency.max < 0.5m', 30_000_000],
    ['latency.max < 1h', 3_600_000_000],
    ['coldStarts.rate < 5%', 0.05],
    ['memoryUsed.max < 512MB', 512],
    ['memoryUsed.max < 1GB', 1024],
    ['invocations.count >= 100', 100],
    ['cost.per1M < $0.21', 0.21],
    ['cost.per1M < 0.21', 0.21],
    ['throughput.mean > 49.5', 49.5],
    ['initDuration.p99 < .5s', 500_000],
  ])('converts %s to its base unit', (text, limit) => {
    expect(parseThreshold(text).limit).toBeCloseTo(limit, 9);
  });

  it('reads true/false checks bare or negated', () => {
    expect(parseThreshold('harness.clean')).toEqual({
      expression: 'harness.clean',
      metric: ['harness', 'clean'],
      kind: 'boolean',
    });
    expect(parseThreshold('  !run.aborted ')).toMatchObject({ negated: true, metric: ['run', 'aborted'] });
  });

  it.each([
    ['latency.p99 < 800', /latency.p99 needs a duration with a unit/, 14],
    ['errors.rate < 0.001', /errors.rate needs a percentage/, 14],
    ['invocations.count > 1.5', /needs a whole number/, 20],
    ['latency.p99 < 5%', /needs a duration/, 14],
    ['coldStarts.rate < $1', /needs a percentage/, 18],
    ['latency.p99 =< 1s', /expected one of <= >= == != < > after latency.p99, found "=< 1s"/, 12],
    ['latency.p99', /missing comparison/, 11],
    ['latency.p98 < 1s', /unknown statistic "p98"/, 0],
    ['thumbnailer.latency.p98 < 1s', /unknown statistic "p98"/, 12],
    ['thumbnailer.latncy.p99 < 1s', /unknown metric/, 0],
    ['harness.clean < 1', /harness.clean is true or false/, 14],
    ['!latency.p99 < 1s', /"!" applies only to true\/false checks/, 0],
    ['fn.harness.clean', /about the whole run; it takes no function prefix/, 0],
    ['initDuration.cold.p99 < 1s', /initDuration has no cold\/warm split/, 0],
    ['', /empty threshold/, 0],
    ['< 5ms', /expected a metric name/, 0],
  ])('rejects %j with a clear message at the right offset', (text, message, offset) => {
    const err = syntaxError(text);
    expect(err.message).toMatch(message);
    expect(err.offset).toBe(offset);
  });
});

describe('the metric namespace', () => {
  it('gives every documented name a kind', () => {
    for (const name of knownMetricNames()) expect(typeof metricKind(name.split('.'))).toBe('string');
  });

  it('documents every name in docs/thresholds.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/thresholds.md', import.meta.url), 'utf8');
    const heads = new Set(
      knownMetricNames().map((n) => n.replace(/\.(count|rate|min|mean|p50|p90|p95|p99|p999|max)$/, '')),
    );
    for (const head of heads) expect(doc, head).toContain(`\`${head}`);
  });
});
