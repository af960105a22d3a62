/**
 * What `lambench run` does around the run for CI and reviews: the report/threshold/baseline flags,
 * the live abort watch for `abortOnFail` thresholds, and after the run the thresholds, the
 * baseline comparison, the HTML/Markdown/JUnit files and the exit code. Everything after the run
 * reads only the results (the results file is the contract).
 */

import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { compareResults, parseMargins } from '../../ci/compare.js';
import type { Comparison } from '../../ci/compare-types.js';
import { checkLive } from '../../ci/live-thresholds.js';
import { evaluateResultsThresholds, type ThresholdOutcome } from '../../ci/thresholds.js';
import { ExitCode, InputError } from '../../core/errors.js';
import type { Recorder, Results } from '../../metrics/index.js';
import { readResults } from '../../metrics/results-file.js';
import { renderMarkdown } from '../../report/markdown.js';
import { writeReports } from '../../report/outputs.js';
import type { Scenario } from '../../scenario/types.js';
import type { Io } from '../io.js';
import { println } from '../io.js';
import { formatComparison } from './compare.js';
import { labelOf } from './report.js';

export interface RunCiArgs {
  html?: boolean;
  summary?: string;
  junit?: string;
  baseline?: string;
  maxRegression?: string;
  updateBaseline: boolean;
}

/** The run command's report, threshold and baseline flags (grouped so other flags stay apart). */
export function withCiOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('html', {
      type: 'boolean',
      describe: 'write report.html next to results.json (scenario: report.html)',
    })
    .option('summary', {
      type: 'string',
      choices: ['md'],
      describe: 'print the summary as Markdown on stdout (for $GITHUB_STEP_SUMMARY); also writes summary.md',
    })
    .option('junit', {
      type: 'string',
      describe: 'write JUnit XML here: each threshold and regression check a test case',
    })
    .option('baseline', {
      type: 'string',
      describe: 'results.json to compare with; a significant regression exits 1',
    })
    .option('max-regression', {
      type: 'string',
      describe: 'allowed regression per metric, e.g. p99=10%,coldStarts.rate=2pp',
    })
    .option('update-baseline', {
      type: 'boolean',
      default: false,
      describe: 'after a passing run, write its results.json over the --baseline file (creating it)',
    }) as Argv<T>;
}

/** The flags merged over the scenario's `report:` settings, checked before the run starts. */
export interface CiPlan {
  html: boolean;
  markdown: boolean;
  junit?: string;
  baseline?: string;
  margins: Record<string, number>;
  updateBaseline: boolean;
}

export function planCi(args: RunCiArgs, scenario: Scenario, io: Io): CiPlan {
  const report = scenario.report ?? {};
  const baseline = args.baseline !== undefined ? resolve(io.cwd, args.baseline) : report.baseline;
  if (args.updateBaseline && baseline === undefined) {
    throw new InputError(
      'USAGE',
      '--update-baseline needs a baseline file: --baseline <results.json> or report.baseline',
    );
  }
  if (baseline !== undefined && !args.updateBaseline && !existsSync(baseline)) {
    throw new InputError(
      'BASELINE_MISSING',
      'no such file; expected a results.json to compare with (add --update-baseline to create it)',
      {
        position: { file: baseline },
      },
    );
  }
  const plan: CiPlan = {
    html: args.html ?? report.html ?? false,
    markdown: (args.summary ?? report.summary) === 'md',
    margins: parseMargins(
      args.maxRegression ?? report.maxRegression,
      args.maxRegression ? '--max-regression' : 'report.maxRegression',
    ),
    updateBaseline: args.updateBaseline,
  };
  const junit = args.junit !== undefined ? resolve(io.cwd, args.junit) : report.junit;
  if (junit !== undefined) plan.junit = junit;
  if (baseline !== undefined) plan.baseline = baseline;
  return plan;
}

/**
 * Watches the running point's counters once a second and stops the run when an `abortOnFail`
 * threshold fails. Returns a stop function; `failed()` says whether it aborted the run.
 */
export function watchAbortThresholds(
  scenario: Scenario,
  current: () => { recorder: Recorder | undefined; elapsedMs: number },
  abort: (reason: string) => void,
  say: (line: string) => void,
): { stop(): void; failed(): string | undefined } {
  const specs = scenario.expect.filter((t) => t.abortOnFail);
  let failure: string | undefined;
  if (specs.length === 0) return { stop: () => {}, failed: () => undefined };
  const timer = setInterval(() => {
    const { recorder, elapsedMs } = current();
    if (!recorder || failure) return;
    const failed = checkLive(specs, recorder.peek(), elapsedMs);
    if (!failed) return;
    failure = failed.message;
    say(`${failed.message}: stopping the run (abortOnFail)`);
    abort(failed.message);
  }, 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), failed: () => failure };
}

export interface CiOutcome {
  thresholds: ThresholdOutcome[];
  comparison?: Comparison;
  exitCode: number;
}

/** After the run: thresholds, comparison, report files, printed verdicts, baseline update. */
export async function afterRun(
  plan: CiPlan,
  results: Results,
  resultsPath: string,
  io: Io,
  textSummary: string,
): Promise<CiOutcome> {
  const thresholds = evaluateResultsThresholds(results);
  let comparison: Comparison | undefined;
  let baselineResults: Results | undefined;
  if (plan.baseline && existsSync(plan.baseline)) {
    baselineResults = await readResults(plan.baseline);
    comparison = compareResults(baselineResults, results, {
      margins: plan.margins,
      baselineLabel: labelOf(plan.baseline, baselineResults.run.startedAt),
      currentLabel: labelOf(resultsPath, results.run.startedAt),
    });
  }
  const dir = dirname(resultsPath);
  const written = await writeReports({
    results,
    thresholds,
    ...(comparison ? { comparison } : {}),
    ...(baselineResults
      ? { baselines: [{ label: comparison?.baselineLabel ?? 'baseline', results: baselineResults }] }
      : {}),
    ...(plan.html ? { htmlPath: join(dir, 'report.html') } : {}),
    ...(plan.markdown ? { markdownPath: join(dir, 'summary.md') } : {}),
    ...(plan.junit ? { junitPath: resolve(dir, plan.junit) } : {}),
  });
  // Markdown owns stdout when asked for (so it can be appended to $GITHUB_STEP_SUMMARY as is).
  const out = plan.markdown ? io.stderr : io.stdout;
  out.write(textSummary);
  out.write(thresholdLines(thresholds));
  if (comparison) out.write(formatComparison(comparison));
  if (plan.markdown) io.stdout.write(renderMarkdown(results, thresholds, comparison));
  for (const path of written) println(io.stderr, `wrote ${path}`);
  const failed = thresholds.some((t) => !t.passed) || (comparison !== undefined && !comparison.passed);
  if (plan.updateBaseline && plan.baseline) {
    if (failed) println(io.stderr, `baseline not updated: the run failed its checks (${plan.baseline})`);
    else {
      await mkdir(dirname(plan.baseline), { recursive: true });
      await copyFile(resultsPath, plan.baseline);
      println(io.stderr, `baseline updated: ${plan.baseline}`);
    }
  }
  return {
    thresholds,
    ...(comparison ? { comparison } : {}),
    exitCode: failed ? ExitCode.ThresholdFailed : ExitCode.Ok,
  };
}

function thresholdLines(outcomes: readonly ThresholdOutcome[]): string {
  if (outcomes.length === 0) return '';
  const lines = ['', 'thresholds:'];
  for (const o of outcomes) {
    const checks = o.checks
      .map(
        (c) =>
          `${c.where ? `${c.where} ` : ''}${c.actual ?? c.missing ?? 'missing'}${c.passed ? '' : ' (FAIL)'}`,
      )
      .join('; ');
    lines.push(`  ${o.passed ? 'pass' : 'FAIL'}  ${o.expression}  [${checks}]`);
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  lines.push(
    failed === 0 ? `  all ${outcomes.length} passed` : `  ${failed} of ${outcomes.length} FAILED`,
    '',
  );
  return `${lines.join('\n')}\n`;
}
