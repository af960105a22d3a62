/**
 * The CI commands as a user drives them: `lambench compare` (itself, a real regression, bad input),
 * `lambench report --summary md --junit`, and `lambench run` with thresholds that fail, one that
 * aborts the run early, and a baseline created with --update-baseline then compared against.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeResults } from '../../src/metrics/results-file.js';
import { FIXTURES, lambench, readResults } from '../fixtures/run/lambench.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { samplePoint, sampleResults } from '../unit/metrics/helpers.js';

const CLI_FIXTURES = join(FIXTURES, 'cli');

async function resultsFile(dir: string, name: string, slowdown = 1): Promise<string> {
  const folder = join(dir, name);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(folder, { recursive: true });
  return writeResults(folder, sampleResults([samplePoint(512, slowdown)]));
}

describe('lambench compare', () => {
  it('passes a file compared with itself (exit 0)', async () => {
    const dir = tempDir('lambench-compare-');
    const file = await resultsFile(dir, 'a');
    const { code, out } = await runCli('compare', file, file);
    expect(code).toBe(0);
    expect(out).toMatch(/passed: no significant regression beyond its margin \(7 checks\)/);
  });

  it('fails a real 50% slowdown (exit 1), names it, and writes JUnit and HTML', async () => {
    const dir = tempDir('lambench-compare-');
    const base = await resultsFile(dir, 'base');
    const slow = await resultsFile(dir, 'slow', 1.5);
    const junit = join(dir, 'junit.xml');
    const html = join(dir, 'compare.html');
    const { code, out } = await runCli(
      'compare',
      base,
      slow,
      '--max-regression',
      'p50=20%',
      '--junit',
      junit,
      '--html',
      html,
    );
    expect(code).toBe(1);
    expect(out).toMatch(
      /^REGRESSION\s+memory=512 resize 512MB\s+p50\s+24\.0 ms\s+36\.0 ms\s+\+50%\s+\+20%\s+<0\.0001$/m,
    );
    expect(out).toMatch(/FAILED: \d+ regression\(s\)/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(
      /<testcase classname="lambench\.s3-burst\.baseline\.resize" name="memory=512 resize 512MB p50" time="0"><failure message="regression: baseline 2\d\.\d ms, current [34]\d\.\d ms/,
    );
    expect(readFileSync(html, 'utf8')).toContain('id="comparison"');
    // The other way round the change is an improvement.
    expect((await runCli('compare', slow, base)).code).toBe(0);
  });

  it('rejects unreadable files and bad margins with one line (exit 2)', async () => {
    const dir = tempDir('lambench-compare-');
    const file = await resultsFile(dir, 'a');
    const missing = await runCli('compare', file, join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err.trim()).toMatch(
      /nope\.json: no such file; expected a results\.json written by lambench run$/,
    );
    const margin = await runCli('compare', file, file, '--max-regression', 'p98=5%');
    expect(margin.code).toBe(2);
    expect(margin.err.trim().split('\n')).toHaveLength(1);
    expect(margin.err).toMatch(/--max-regression: unknown metric "p98"/);
  });
});

describe('lambench report', () => {
  it('prints Markdown for $GITHUB_STEP_SUMMARY and writes JUnit with each threshold a test case', async () => {
    const dir = tempDir('lambench-report-');
    const results = sampleResults([samplePoint(512)]);
    results.run.scenario = { expect: ['errors.rate < 1%', 'resize.latency.p99 < 1s', 'harness.clean'] };
    const file = await writeResults(dir, results);
    const junit = join(dir, 'junit.xml');
    const { code, out } = await runCli('report', file, '--summary', 'md', '--junit', junit);
    expect(code).toBe(1); // errors.rate is 2.01%
    expect(out).toMatch(/^## lambench s3-burst: ❌ 1 threshold\(s\) failed$/m);
    expect(out).toContain('| ❌ | <code>errors.rate &lt; 1%</code> | memory=512 | 2.01% |');
    expect(out).toContain('| ✅ | <code>resize.latency.p99 &lt; 1s</code> | memory=512 resize | 400 ms |');
    expect(out).toMatch(/^\| resize \| 512 MB \| 195 \| 4 \(2\.01%\) \| 4 \| 2 \(1\.03%\) \|/m);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="lambench s3-burst" tests="3" failures="1"/);
    expect(xml).toContain(
      '<testcase classname="lambench.s3-burst.thresholds" name="errors.rate &lt; 1%" time="0"><failure',
    );
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
});

describe('lambench run with thresholds and a baseline', () => {
  it('exits 1 when a threshold fails, after writing everything', async () => {
    const dir = tempDir('lambench-run-ci-');
    const run = await lambench([
      'run',
      join(CLI_FIXTURES, 'quick.yaml'),
      '--duration-scale',
      '0.3',
      '--no-progress',
      '--output',
      join(dir, 'run'),
      '--set',
      'expect=["work.invocations.count > 1000000", "errors.rate < 1%"]',
      '--junit',
      join(dir, 'junit.xml'),
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/FAIL {2}work\.invocations\.count > 1000000/);
    expect(run.stdout).toMatch(/pass {2}errors\.rate < 1%/);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/tests="2" failures="1"/);
  });

  it('stops a failing run early when an abortOnFail threshold fails (exit 1)', async () => {
    const dir = tempDir('lambench-run-abort-');
    const started = Date.now();
    const run = await lambench(['run', join(CLI_FIXTURES, 'abort.yaml'), '--no-progress', '--output', dir]);
    expect(run.code, run.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(25_000); // the load alone lasts 30 s
    expect(run.stderr).toMatch(
      /threshold failed: errors\.rate < 10% \(100\.0% after \d+ s\): stopping the run \(abortOnFail\)/,
    );
    const results = readResults(dir);
    expect(results.run.aborted).toBe(true);
    expect(results.run.abortReason).toMatch(/^threshold failed: errors\.rate < 10%/);
  });

  it('creates the baseline with --update-baseline, then compares the next run with it', async () => {
    const dir = tempDir('lambench-run-baseline-');
    const baseline = join(dir, 'baselines', 'quick.json');
    const args = [
      'run',
      join(CLI_FIXTURES, 'quick.yaml'),
      '--duration-scale',
      '0.3',
      '--no-progress',
      '--baseline',
      baseline,
    ];
    const missing = await lambench([...args, '--output', join(dir, 'r0')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/quick\.json: no such file; expected a results\.json to compare with/);
    const first = await lambench([...args, '--output', join(dir, 'r1'), '--update-baseline']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`baseline updated: ${baseline}`);
    expect(readFileSync(baseline, 'utf8')).toBe(readFileSync(join(dir, 'r1', 'results.json'), 'utf8'));
    // Generous margins: two runs on a shared machine differ; the comparison itself must run and pass.
    const second = await lambench([
      ...args,
      '--output',
      join(dir, 'r2'),
      '--max-regression',
      'p50=500%,p90=500%,p99=1000%,p999=1000%,coldStarts.rate=50pp',
      '--summary',
      'md',
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^### Baseline comparison \(quick\.json/m);
    expect(existsSync(join(dir, 'r2', 'summary.md'))).toBe(true);
  });
});
