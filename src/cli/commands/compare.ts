/**
 * `lambench compare <baseline.json> <current.json> [--max-regression p99=10%,…]`: prints every
 * function × setting's change against the baseline and exits 1 when a regression is both beyond
 * its margin and statistically significant (0 otherwise; 2 for unreadable files or bad margins).
 */
import { resolve } from 'node:path';
import { type CompareOptions, compareResults, parseMargins } from '../../ci/compare.js';
import type { Comparison } from '../../ci/compare-types.js';
import { evaluateResultsThresholds } from '../../ci/thresholds.js';
import { ExitCode } from '../../core/errors.js';
import { readResults } from '../../metrics/results-file.js';
import { formatChange, formatCompared } from '../../report/html/sections.js';
import { renderMarkdown } from '../../report/markdown.js';
import { writeReports } from '../../report/outputs.js';
import type { CommandFactory } from '../command.js';
import { println } from '../io.js';
import { labelOf } from './report.js';

interface CompareArgs {
  baseline: string;
  current: string;
  maxRegression?: string;
  summary?: string;
  junit?: string;
  html?: string;
}

export const compareCommand: CommandFactory = (io, setExit) => ({
  command: 'compare <baseline> <current>',
  describe: 'Compare two results.json files; exit 1 on a significant regression beyond its margin',
  builder: (y) =>
    y
      .positional('baseline', { type: 'string', demandOption: true, describe: 'the baseline results.json' })
      .positional('current', { type: 'string', demandOption: true, describe: 'the results.json to judge' })
      .option('max-regression', {
        type: 'string',
        describe:
          'allowed regression per metric (defaults: p50=10%,p90=10%,p99=15%,p999=25%,coldStarts.rate=2pp,errors.rate=0.5pp,cost=5%)',
      })
      .option('summary', {
        type: 'string',
        choices: ['md'],
        describe: 'print Markdown instead of the text table',
      })
      .option('junit', { type: 'string', describe: 'write JUnit XML: each check a test case' })
      .option('html', {
        type: 'string',
        describe: 'write the HTML report of the current run with the comparison',
      }),
  handler: async (argv) => {
    const args = argv as unknown as CompareArgs;
    const margins = parseMargins(args.maxRegression);
    const basePath = resolve(io.cwd, args.baseline);
    const currentPath = resolve(io.cwd, args.current);
    const baseline = await readResults(basePath);
    const current = await readResults(currentPath);
    const options: CompareOptions = {
      margins,
      baselineLabel: labelOf(basePath, baseline.run.startedAt),
      currentLabel: labelOf(currentPath, current.run.startedAt),
    };
    const comparison = compareResults(baseline, current, options);
    if (args.summary === 'md') io.stdout.write(renderMarkdown(current, [], comparison));
    else io.stdout.write(formatComparison(comparison));
    const written = await writeReports({
      results: current,
      thresholds: evaluateResultsThresholds(current),
      comparison,
      baselines: [{ label: options.baselineLabel ?? 'baseline', results: baseline }],
      ...(args.html ? { htmlPath: resolve(io.cwd, args.html) } : {}),
      ...(args.junit ? { junitPath: resolve(io.cwd, args.junit) } : {}),
    });
    for (const path of written) println(io.stderr, `wrote ${path}`);
    setExit(comparison.passed ? ExitCode.Ok : ExitCode.ThresholdFailed);
  },
});

/** The comparison as an aligned plain-text table, regressions marked. */
export function formatComparison(comparison: Comparison): string {
  const header = ['', 'WHERE', 'METRIC', 'BASELINE', 'CURRENT', 'CHANGE', 'MARGIN', 'P'];
  const rows = comparison.checks.map((c) => [
    c.regression ? 'REGRESSION' : c.improvement ? 'better' : '',
    [c.point, c.functionName, `${c.memoryMB}MB`].filter((x) => x).join(' '),
    c.metric,
    c.baseline === undefined ? '-' : formatCompared(c.baseline, c.kind),
    c.current === undefined ? '-' : formatCompared(c.current, c.kind),
    c.change === undefined ? (c.note ?? '-') : formatChange(c.change, c.kind),
    formatChange(c.margin, c.kind),
    c.pValue === undefined ? '-' : c.pValue < 0.0001 ? '<0.0001' : c.pValue.toFixed(4),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i <= 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const regressions = comparison.checks.filter((c) => c.regression).length;
  return `${[
    `compare ${comparison.baselineLabel} -> ${comparison.currentLabel}`,
    ...(comparison.warnings ?? []).map((w) => `warning: ${w}`),
    '',
    line(header),
    ...rows.map(line),
    '',
    regressions === 0
      ? `passed: no significant regression beyond its margin (${comparison.checks.length} checks)`
      : `FAILED: ${regressions} regression(s) beyond the margin and significant (one-sided, alpha 0.01)`,
  ].join('\n')}\n`;
}
