/// <reference lib="dom" />
/**
 * The HTML report in real headless Chromium: a report written by the built CLI opens from a file
 * URL with no console error and no network request, every chart draws on its canvas, the tables
 * hold the figures of results.json, hostile names render as text, secret-looking environment
 * values are redacted, dark mode and print work. Screenshots go to test-artifacts/ (ignored by git).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMicros } from '../../src/ci/format-value.js';
import { mergeHistograms } from '../../src/metrics/histogram.js';
import { writeResults } from '../../src/metrics/results-file.js';
import type { Results } from '../../src/metrics/results-schema.js';
import { lambench, ROOT } from '../fixtures/run/lambench.js';
import { artilleryResults } from '../helpers/artillery-results.js';
import { type Browser, chartInk, launchBrowser, type WatchedPage, watchedPage } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp-dir.js';
import { samplePoint, sampleResults } from '../unit/metrics/helpers.js';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'report-screenshots');
const HOSTILE = '<img src=x onerror=alert(1)>';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** Opens a report file and waits for its script to finish drawing. */
async function open(file: string): Promise<WatchedPage> {
  const watched = await watchedPage(browser);
  await watched.page.goto(pathToFileURL(file).href);
  await watched.page.waitForFunction(() => document.documentElement.hasAttribute('data-charts-drawn'), null, {
    timeout: 20_000,
  });
  return watched;
}

function expectQuiet(w: WatchedPage): void {
  expect(w.consoleErrors, 'console errors').toEqual([]);
  expect(w.pageErrors, 'page errors').toEqual([]);
  expect(w.network, 'network requests').toEqual([]);
  expect(w.dialogs, 'dialogs').toEqual([]);
}

async function expectEveryChartDrawn(w: WatchedPage): Promise<number> {
  const ink = await chartInk(w.page);
  expect(ink.length).toBeGreaterThan(0);
  for (const chart of ink) {
    // Axes and grid alone give a couple of colours; a plotted line adds its own.
    expect(chart.inked, `${chart.id} has ink`).toBeGreaterThan(500);
    expect(chart.colours, `${chart.id} has more than axes`).toBeGreaterThan(3);
  }
  return ink.length;
}

/** p99 of a function × memory row as the report computes it, from results.json alone. */
function p99Text(results: Results, pointIndex: number, functionName: string): string {
  const series = results.points[pointIndex]?.series.filter((s) => s.key.functionName === functionName) ?? [];
  const parts = series
    .flatMap((s) => [s.histograms.clientLatencyUs.cold, s.histograms.clientLatencyUs.warm])
    .filter((h) => !!h);
  const merged = mergeHistograms(parts);
  const max = Math.max(...parts.map((h) => h?.summary.max ?? 0));
  return formatMicros(
    parts.length === 1 ? (parts[0]?.summary.p99 ?? 0) : Math.min(max, merged.getValueAtPercentile(99)),
  );
}

describe('the HTML report in Chromium', () => {
  it('of a real run: opens offline and quiet, draws every chart, shows the numbers of results.json', async () => {
    const dir = tempDir('lambench-report-run-');
    const run = await lambench([
      'run',
      'scenarios/quickstart.yaml',
      '--duration-scale',
      '0.25',
      '--no-progress',
      '--output',
      dir,
      '--html',
      '--set',
      'expect=["hello.latency.p99 < 30s", "errors.rate < 50%"]',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
    const w = await open(join(dir, 'report.html'));
    expectQuiet(w);
    // Percentile distribution (warm, cold), one time chart per row, concurrency per point, the sweep, the harness.
    const charts = await expectEveryChartDrawn(w);
    expect(charts).toBeGreaterThanOrEqual(2 + 2 + 2 + 1);
    const rows = await w.page.$$eval('#functions-table tbody tr', (trs) =>
      trs.map((tr) => ({
        invocations: tr.querySelector('[data-k="invocations"]')?.textContent?.trim(),
        p99: tr.querySelector('[data-k="p99"]')?.textContent?.trim(),
      })),
    );
    expect(rows).toEqual(
      results.points.map((point, i) => ({
        invocations: point.series.reduce((n, s) => n + s.counters.invocations, 0).toLocaleString('en-US'),
        p99: p99Text(results, i, 'hello'),
      })),
    );
    const thresholds = await w.page.textContent('#thresholds');
    expect(thresholds).toContain('All 2 threshold(s) passed');
    const ledger = await w.page.textContent('#ledger-table');
    expect(ledger).toContain(results.ledger.arrivals.toLocaleString('en-US'));
    await w.page.screenshot({ path: join(ARTIFACTS, 'quickstart-light.png'), fullPage: true });
    // Print: a PDF of several pages comes out.
    const pdf = await w.page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await w.page.close();
  });

  it('renders hostile names and error messages as text, runs no injected script, redacts secrets', async () => {
    const dir = tempDir('lambench-report-xss-');
    const results = sampleResults([samplePoint(512)]);
    const series = results.points[0]?.series[0];
    if (!series) throw new Error('no series');
    series.key.functionName = HOSTILE;
    series.key.source = '</script><script>alert(2)</script>';
    series.counters.errorsByType = { [HOSTILE]: 3, '"><svg onload=alert(3)>': 1 };
    series.counters.outcomeReasons = { failed: { [`${HOSTILE} failed`]: 3 } };
    results.run.scenarioName = HOSTILE;
    results.run.aborted = true;
    results.run.abortReason = `threshold failed: ${HOSTILE}`;
    results.run.target.notes = ['<b onmouseover=alert(4)>note</b>'];
    results.run.scenario = {
      description: '<iframe src="https://example.com"></iframe>',
      expect: [`${'errors.rate'} < 1%`],
      functions: {
        f: {
          name: HOSTILE,
          handler: 'index.handler',
          runtime: 'nodejs20.x',
          memoryMB: [512],
          timeoutMs: 3000,
          environment: {
            API_TOKEN: 'tok-123-secret',
            DB_PASSWORD: 'hunter2',
            STAGE: 'prod',
            URL: 'https://user:pw@db.example',
          },
        },
      },
    };
    await writeResults(dir, results);
    const cli = await lambench(['report', join(dir, 'results.json'), '-o', join(dir, 'report.html')]);
    expect(cli.code, cli.stderr).toBe(1); // errors.rate < 1% fails: 4 errors in 199 attempts
    const w = await open(join(dir, 'report.html'));
    expectQuiet(w);
    await expectEveryChartDrawn(w);
    expect(await w.page.$$eval('img, iframe, svg[onload], b[onmouseover]', (els) => els.length)).toBe(0);
    expect(await w.page.$$eval('script', (els) => els.length)).toBe(3); // data, uPlot, the page's own
    const text = (await w.page.textContent('body')) ?? '';
    expect(text).toContain(HOSTILE);
    expect(text).toContain(`${HOSTILE} × 3`);
    expect(text).toContain('"><svg onload=alert(3)>');
    expect(text).toContain('<iframe src="https://example.com"></iframe>');
    expect(text).toContain('API_TOKEN=(redacted)');
    expect(text).toContain('DB_PASSWORD=(redacted)');
    expect(text).toContain('URL=(redacted)');
    expect(text).toContain('STAGE=prod');
    expect(text).not.toContain('tok-123-secret');
    expect(text).not.toContain('hunter2');
    // The chart legend shows the hostile series label as text too.
    expect(await w.page.textContent('#chart-dist-warm')).toContain(HOSTILE);
    const raw = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(raw).not.toContain('tok-123-secret');
    expect(raw).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/,
    );
    await w.page.screenshot({ path: join(ARTIFACTS, 'hostile-names.png'), fullPage: true });
    await w.page.close();
  });

  it('of every shipped scenario (briefly): quiet, every chart drawn, a screenshot kept', async () => {
    const shipped = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(shipped.length).toBeGreaterThanOrEqual(6);
    const dir = tempDir('lambench-report-shipped-');
    for (const file of shipped) {
      const name = file.replace(/\.yaml$/, '');
      const out = join(dir, name);
      const run = await lambench([
        'run',
        join('scenarios', file),
        '--duration-scale',
        '0.05',
        '--no-progress',
        '--html',
        '--output',
        out,
      ]);
      // 1: one of the scenario's thresholds failed on this short run; the report is written either way.
      expect([0, 1], `${file}: ${run.stderr}`).toContain(run.code);
      const w = await open(join(out, 'report.html'));
      expectQuiet(w);
      await expectEveryChartDrawn(w);
      expect(await w.page.textContent('h1')).toBe(`lambench report: ${name}`);
      await w.page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      await w.page.close();
    }
  }, 600_000);

  it('of an Artillery run: names the engine, flags the rebuilt histograms, marks their figures ≈; compare warns across engines', async () => {
    // Prepare: an Artillery run as lambench converts it, and a native run to compare it with
    const dir = tempDir('lambench-report-artillery-');
    mkdirSync(join(dir, 'artillery'));
    mkdirSync(join(dir, 'native'));
    await writeResults(join(dir, 'artillery'), await artilleryResults());
    await writeResults(join(dir, 'native'), sampleResults());

    // Act
    const report = await lambench([
      'report',
      join(dir, 'artillery', 'results.json'),
      '-o',
      join(dir, 'a.html'),
    ]);
    const nativeReport = await lambench([
      'report',
      join(dir, 'native', 'results.json'),
      '-o',
      join(dir, 'n.html'),
    ]);
    const compare = await lambench([
      'compare',
      join(dir, 'native', 'results.json'),
      join(dir, 'artillery', 'results.json'),
      '--html',
      join(dir, 'c.html'),
    ]);

    // Assess: the Artillery run's report
    expect(report.code, report.stderr).toBe(0);
    expect(nativeReport.code, nativeReport.stderr).toBe(0);
    const w = await open(join(dir, 'a.html'));
    expectQuiet(w);
    await expectEveryChartDrawn(w);
    expect(await w.page.textContent('header .meta')).toContain('engineArtillery 2.0.21 (artillery run)');
    expect(await w.page.textContent('#engine-notes')).toContain(
      'histograms are rebuilt from Artillery summaries',
    );
    const banner = w.page.locator('#approximation');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain('≈ Approximate histograms.');
    expect(await banner.textContent()).toContain('not exact HdrHistogram values');
    // lambench's harness monitor did not run: the report must not claim it kept up
    expect(await w.page.locator('#harness-ok').count()).toBe(0);
    expect(await w.page.textContent('#harness-not-monitored')).toContain(
      'Artillery 2.0.21 (artillery run) generated the load',
    );
    const row = w.page.locator('#functions-table tbody tr').first();
    expect(await row.getAttribute('data-approximated')).toBe('true');
    for (const k of ['p50', 'p90', 'p99', 'max']) {
      expect(await row.locator(`[data-k="${k}"]`).textContent()).toMatch(/^≈ [\d.]+ m?s$/);
    }
    expect(await w.page.textContent('#distribution')).toContain('≈ Curves of an Artillery run are rebuilt');
    await w.page.screenshot({ path: join(ARTIFACTS, 'artillery-run.png'), fullPage: true });
    await w.page.close();
    // A native run's report flags nothing
    const n = await open(join(dir, 'n.html'));
    expectQuiet(n);
    expect(await n.page.textContent('header .meta')).toContain('enginelambench');
    expect(await n.page.locator('#approximation').count()).toBe(0);
    expect(await n.page.locator('[data-approximated]').count()).toBe(0);
    expect(await n.page.textContent('#functions-table')).not.toContain('≈');
    await n.page.close();
    // The comparison across engines warns, in the terminal and in its HTML report
    expect(compare.stdout).toContain('warning: The runs were generated by different engines');
    const c = await open(join(dir, 'c.html'));
    expectQuiet(c);
    const warnings = await c.page.locator('#comparison .comparison-warning').allTextContents();
    expect(warnings.join(' ')).toContain('baseline: lambench; current: Artillery 2.0.21 (artillery run)');
    expect(warnings.join(' ')).toContain(
      "The current run's histograms are approximations rebuilt from Artillery summaries",
    );
    await c.page.close();
  });

  it('follows the dark colour scheme', async () => {
    const dir = tempDir('lambench-report-dark-');
    await writeResults(dir, sampleResults());
    expect((await lambench(['report', join(dir, 'results.json')])).code).toBe(0);
    const w = await open(join(dir, 'report.html'));
    const light = await w.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await w.page.emulateMedia({ colorScheme: 'dark' });
    const dark = await w.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark).not.toBe(light);
    await expectEveryChartDrawn(w);
    expectQuiet(w);
    await w.page.screenshot({ path: join(ARTIFACTS, 'sample-dark.png'), fullPage: true });
    await w.page.close();
  });
});
