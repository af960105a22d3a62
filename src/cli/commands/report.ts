/**
 * `lambench report <results.json> [more.json…] [-o report.html]`: the HTML report of a run, from
 * its results file alone. With several files the last is the run reported on and the first its
 * baseline: the report adds the comparison and draws the earlier runs dashed. `--summary md`
 * prints the Markdown summary; `--junit` writes JUnit XML. The exit code says whether thresholds
 * and the comparison passed, so CI can use it on a results file written earlier.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { compareResults, parseMargins } from '../../ci/compare.js';
import { evaluateResultsThresholds } from '../../ci/thresholds.js';
import { ExitCode } from '../../core/errors.js';
import { readResults } from '../../metrics/results-file.js';
import { renderMarkdown } from '../../report/markdown.js';
import { writeReports } from '../../report/outputs.js';
import type { CommandFactory } from '../command.js';
import { println } from '../io.js';

interface ReportArgs {
  results: string[];
  output?: string;
  summary?: string;
  junit?: string;
  maxRegression?: string;
}

export const reportCommand: CommandFactory = (io, setExit) => ({
  command: 'report <results..>',
  describe: 'Write the HTML report of results.json (with a second file: the first is the baseline)',
  builder: (y) =>
    y
      .positional('results', {
        type: 'string',
        array: true,
        describe: 'results.json files: [baseline…] current',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe: 'HTML file to write (default report.html next to the results)',
      })
      .option('summary', {
        type: 'string',
        choices: ['md'],
        describe: 'also print a Markdown summary to stdout',
      })
      .option('junit', {
        type: 'string',
        describe: 'also write JUnit XML (thresholds and regressions as test cases)',
      })
      .option('max-regression', {
        type: 'string',
        describe: 'allowed regression per metric when comparing, e.g. p99=10%,coldStarts.rate=2pp',
      }),
  handler: async (argv) => {
    const args = argv as unknown as ReportArgs;
    const margins = parseMargins(args.maxRegression);
    const paths = args.results.map((p) => resolve(io.cwd, p));
    const all = [];
    for (const path of paths) all.push(await readResults(path));
    const current = all.at(-1);
    const currentPath = paths.at(-1);
    if (!current || !currentPath) return;
    const thresholds = evaluateResultsThresholds(current);
    const baselines = all
      .slice(0, -1)
      .map((results, i) => ({ label: labelOf(paths[i] ?? '', results.run.startedAt), results }));
    const first = baselines[0];
    const comparison = first
      ? compareResults(first.results, current, {
          margins,
          baselineLabel: first.label,
          currentLabel: labelOf(currentPath, current.run.startedAt),
        })
      : undefined;
    const htmlPath = args.output ? resolve(io.cwd, args.output) : join(dirname(currentPath), 'report.html');
    const written = await writeReports({
      results: current,
      thresholds,
      baselines,
      ...(comparison ? { comparison } : {}),
      htmlPath,
      ...(args.junit ? { junitPath: resolve(io.cwd, args.junit) } : {}),
    });
    if (args.summary === 'md') io.stdout.write(renderMarkdown(current, thresholds, comparison));
    for (const path of written) println(io.stderr, `wrote ${path}`);
    const failed = thresholds.some((t) => !t.passed) || (comparison !== undefined && !comparison.passed);
    setExit(failed ? ExitCode.ThresholdFailed : ExitCode.Ok);
  },
});

/** "baseline.json (2025-01-02 03:04)": the file and when its run started. */
export function labelOf(path: string, startedAt: string): string {
  const name = basename(path) === 'results.json' ? basename(dirname(path)) : basename(path);
  return `${name} (${startedAt.slice(0, 16).replace('T', ' ')})`;
}
