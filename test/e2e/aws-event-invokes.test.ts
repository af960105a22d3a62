/**
 * `invocationType: Event` end to end, as a user runs it: `lambench serve` in one process answers
 * Invoke (202 with the request id) and CloudWatch Logs FilterLogEvents from its functions' own log
 * lines; `lambench run --target aws --endpoint URL` sends real Event invokes and gets every
 * function figure from those REPORT lines, matched by request id. Needs the build.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import { type Results, ResultsSchema } from '../../src/metrics/results-schema.js';
import { ROOT, runLambench, runOnAws, startServe } from '../helpers/aws-endpoint.js';
import { tempDir } from '../helpers/temp-dir.js';

const SCENARIO = join(ROOT, 'test', 'fixtures', 'aws', 'event-invokes.yaml');

function readResults(dir: string): Results {
  return ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
}

/** Values recorded in a cold/warm histogram pair. */
function countOf(pair: {
  cold?: { encoded: string } | undefined;
  warm?: { encoded: string } | undefined;
}): number {
  let n = 0;
  for (const h of [pair.cold, pair.warm]) if (h) n += decodeHistogram(h.encoded).totalCount;
  return n;
}

function runAgainst(url: string, dir: string, extra: string[] = []) {
  return runOnAws(SCENARIO, url, dir, extra);
}

describe('lambench run --target aws with invocationType: Event against lambench serve', () => {
  it('every accepted event’s figures come from its REPORT line in the logs, matched by request id', async () => {
    // Prepare: lines reach FilterLogEvents 1.5 s after they are written (eventual consistency).
    const serve = await startServe(SCENARIO, ['--logs-delay', '1500']);
    const dir = tempDir('lambench-aws-event-');
    // Act
    const run = await runAgainst(serve.url, dir);
    // Assess
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain(
      "source uploads: Event invokes of hello (Lambda's own async retries apply); figures read from CloudWatch Logs /aws/lambda/hello",
    );
    const results = readResults(dir);
    const series = results.points.flatMap((p) => p.series);
    expect(series.map((s) => s.key.source).sort()).toEqual(['alerts', 'uploads']);
    for (const s of series) {
      const arrivals = s.ledger.arrivals;
      expect(arrivals).toBeGreaterThan(5);
      expect(s.ledger.buckets.succeeded).toBe(arrivals);
      expect(s.logs).toMatchObject({
        source: 'cloudwatch-logs',
        logGroup: '/aws/lambda/hello',
        matchedBy: 'request-id',
        requested: arrivals,
        found: arrivals,
        notFound: 0,
        reports: arrivals,
      });
      expect(s.logs?.requests).toBeGreaterThan(1);
      // One duration, billed duration and memory figure per invocation, all from the logs.
      expect(countOf(s.histograms.durationUs)).toBe(arrivals);
      expect(countOf(s.histograms.billedDurationUs)).toBe(arrivals);
      expect(countOf(s.histograms.maxMemoryUsedMB)).toBe(arrivals);
      expect(s.counters.invocations).toBe(arrivals);
      const inits = s.histograms.initDurationUs
        ? decodeHistogram(s.histograms.initDurationUs.encoded).totalCount
        : 0;
      expect(s.counters.coldStarts).toBe(inits);
      // Client latency is the 202's, one per call.
      expect(countOf(s.histograms.clientLatencyUs)).toBe(arrivals);
    }
    // Both sources invoke hello: its first environment's cold start is in one of them.
    expect(series.reduce((n, s) => n + s.counters.coldStarts, 0)).toBeGreaterThanOrEqual(1);
    expect(results.run.target.notes.join('\n')).toMatch(
      /sent as Event invokes .* REPORT line\(s\) in CloudWatch Logs/,
    );
  });

  it('says how many request ids were not found when the logs are later than the bounded wait', async () => {
    const serve = await startServe(SCENARIO, ['--logs-delay', '60000']);
    const dir = tempDir('lambench-aws-event-late-');
    const run = await runAgainst(serve.url, dir, ['--set', 'aws.logsWait=2s']);
    expect(run.code, run.err).toBe(0);
    const series = readResults(dir).points.flatMap((p) => p.series);
    for (const s of series) {
      expect(s.logs?.requested).toBe(s.ledger.arrivals);
      expect(s.logs?.found).toBe(0);
      expect(s.logs?.notFound).toBe(s.ledger.arrivals);
      expect(s.histograms.durationUs).toEqual({});
    }
    expect(`${run.out}${run.err}`).toMatch(/request id\(s\) not found within \d+ s/);
  });

  it('refuses invocationType: Event on the local target in one line, exit 2', async () => {
    const run = await runLambench([
      'run',
      SCENARIO,
      '--no-progress',
      '--output',
      tempDir('lambench-ev-local-'),
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/event-invokes\.yaml:\d+:\d+.*invocationType: Event needs target: aws/);
    expect(run.err).not.toMatch(/\n\s+at /);
  });
});
