/**
 * JUnit XML for CI systems: each threshold is a test case (failed when any of its checks failed),
 * and each baseline check (function × setting × metric) is one too.
 */
import type { Comparison } from '../ci/compare-types.js';
import type { ThresholdOutcome } from '../ci/thresholds.js';
import type { Results } from '../metrics/results-schema.js';
import { formatChange, formatCompared } from './html/sections.js';

/** XML text/attribute escaping; characters XML 1.0 cannot hold at all are dropped. */
export function xml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing exactly the characters XML forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

interface Case {
  classname: string;
  name: string;
  failure?: string;
  detail?: string;
}

/** The JUnit document for a run's thresholds and (optionally) its baseline comparison. */
export function renderJunit(
  results: Results,
  thresholds: readonly ThresholdOutcome[],
  comparison?: Comparison,
): string {
  const suites: { name: string; cases: Case[] }[] = [];
  const scenario = results.run.scenarioName;
  suites.push({
    name: `${scenario} thresholds`,
    cases: thresholds.map((t) => {
      const failed = t.checks.filter((c) => !c.passed);
      const lines = t.checks.map(
        (c) =>
          `${c.passed ? 'pass' : 'FAIL'} ${c.where || 'whole run'}: ${c.actual ?? c.missing ?? 'missing'}`,
      );
      return {
        classname: `lambench.${scenario}.thresholds`,
        name: t.expression,
        ...(failed.length > 0
          ? {
              failure: `${t.expression}: ${failed.map((c) => `${c.where || 'whole run'} ${c.actual ?? c.missing ?? 'missing'}`).join('; ')}`,
            }
          : {}),
        detail: lines.join('\n'),
      };
    }),
  });
  if (comparison) {
    suites.push({
      name: `${scenario} baseline`,
      cases: comparison.checks.map((c) => {
        const where = [c.point, c.functionName, `${c.memoryMB}MB`].filter((x) => x).join(' ');
        const figures = `baseline ${c.baseline === undefined ? '–' : formatCompared(c.baseline, c.kind)}, current ${c.current === undefined ? '–' : formatCompared(c.current, c.kind)}${c.change === undefined ? '' : `, change ${formatChange(c.change, c.kind)}`} (margin ${formatChange(c.margin, c.kind)}${c.pValue === undefined ? '' : `, p=${c.pValue.toPrecision(2)}`})${c.note ? `; ${c.note}` : ''}`;
        return {
          classname: `lambench.${scenario}.baseline.${c.functionName}`,
          name: `${where} ${c.metric}`,
          ...(c.regression ? { failure: `regression: ${figures}` } : {}),
          detail: figures,
        };
      }),
    });
  }
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const seconds = Math.max(0, (Date.parse(results.run.endedAt) - Date.parse(results.run.startedAt)) / 1000);
  const body = suites
    .map((s) => {
      const f = s.cases.filter((c) => c.failure).length;
      const cases = s.cases
        .map((c) => {
          const inner = `${c.failure ? `<failure message="${xml(c.failure)}" type="${c.classname.endsWith('thresholds') ? 'threshold' : 'regression'}">${xml(c.detail ?? c.failure)}</failure>` : ''}${c.detail && !c.failure ? `<system-out>${xml(c.detail)}</system-out>` : ''}`;
          return `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="0">${inner}</testcase>`;
        })
        .join('\n');
      return `  <testsuite name="${xml(s.name)}" tests="${s.cases.length}" failures="${f}" errors="0" skipped="0" timestamp="${xml(results.run.startedAt.replace(/\.\d+Z$/, ''))}" time="${seconds.toFixed(3)}">\n${cases}\n  </testsuite>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="lambench ${xml(scenario)}" tests="${total}" failures="${failures}" errors="0" time="${seconds.toFixed(3)}">\n${body}\n</testsuites>\n`;
}
