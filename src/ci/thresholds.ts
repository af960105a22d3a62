/**
 * Evaluates thresholds against results.json. A threshold names one function (or every function)
 * and is checked at every sweep point where that function ran; it passes only if every check
 * does. A metric the file does not carry fails the check with the reason — never a silent pass.
 */
import type { PointResults, Results, SeriesResults } from '../metrics/results-schema.js';
import { formatValue } from './format-value.js';
import { metricValue } from './metric-values.js';
import { type Operator, parseThreshold, type Threshold, ThresholdSyntaxError } from './threshold-syntax.js';

/** One threshold as the scenario gives it: the expression and its abort settings. */
export interface ThresholdSpec {
  expression: string;
  /** Stop the run as soon as this threshold fails (after `delayAbortMs`). */
  abortOnFail?: boolean;
  /** How long into the run before a failure may abort it (lets cold starts settle). */
  delayAbortMs?: number;
}

export interface ThresholdCheck {
  /** Where it was checked: the sweep point label and the function, "" for the whole run. */
  where: string;
  passed: boolean;
  /** The figure found, formatted; absent when the metric is missing. */
  actual?: string;
  actualValue?: number | boolean;
  /** Why the metric is missing (the check failed for it). */
  missing?: string;
}

export interface ThresholdOutcome {
  expression: string;
  passed: boolean;
  checks: ThresholdCheck[];
}

/** Evaluates every threshold; outcomes are in the order given. */
export function evaluateThresholds(results: Results, thresholds: readonly Threshold[]): ThresholdOutcome[] {
  return thresholds.map((t) => evaluateThreshold(results, t));
}

export function evaluateThreshold(results: Results, threshold: Threshold): ThresholdOutcome {
  const checks: ThresholdCheck[] = [];
  if (isRunWide(threshold)) {
    const point = results.points[0] ?? emptyPoint(results);
    checks.push(check(results, threshold, point, point.series, '', { ledger: results.ledger }));
  } else {
    for (const point of results.points) {
      const series = point.series.filter((s) => matches(s, threshold));
      if (threshold.functionName !== undefined && series.length === 0) continue;
      checks.push(check(results, threshold, point, series, where(point, threshold)));
    }
    if (checks.length === 0) {
      const who = `${threshold.functionName ?? 'any function'}${threshold.memoryMB ? ` at ${threshold.memoryMB} MB` : ''}`;
      checks.push({ where: '', passed: false, missing: `no series of ${who} in the results` });
    }
  }
  return { expression: threshold.expression, passed: checks.every((c) => c.passed), checks };
}

function check(
  results: Results,
  threshold: Threshold,
  point: PointResults,
  series: readonly SeriesResults[],
  at: string,
  override: { ledger?: Results['ledger'] } = {},
): ThresholdCheck {
  const value =
    threshold.metric.join('.') === 'ledger.balanced' && override.ledger
      ? { flag: override.ledger.balanced }
      : metricValue(results, point, series, threshold.metric);
  if ('missing' in value) return { where: at, passed: false, missing: value.missing };
  if ('flag' in value) {
    const passed = threshold.negated ? !value.flag : value.flag;
    return { where: at, passed, actual: String(value.flag), actualValue: value.flag };
  }
  const passed = compare(value.value, threshold.operator ?? '==', threshold.limit ?? 0);
  return { where: at, passed, actual: formatValue(value.value, threshold.kind), actualValue: value.value };
}

/** Applies a threshold operator; equality tolerates float noise from unit conversion. */
export function compare(actual: number, operator: Operator, limit: number): boolean {
  const epsilon = Math.max(Math.abs(limit), Math.abs(actual)) * 1e-9;
  switch (operator) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit + epsilon;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit - epsilon;
    case '==':
      return Math.abs(actual - limit) <= epsilon;
    case '!=':
      return Math.abs(actual - limit) > epsilon;
  }
}

function matches(s: SeriesResults, t: Threshold): boolean {
  if (t.functionName !== undefined && s.key.functionName !== t.functionName) return false;
  return t.memoryMB === undefined || s.key.memoryMB === t.memoryMB;
}

function isRunWide(t: Threshold): boolean {
  const head = t.metric[0];
  return head === 'harness' || head === 'ledger' || head === 'run';
}

function where(point: PointResults, t: Threshold): string {
  const parts = [point.label, t.functionName].filter((p): p is string => !!p);
  return parts.join(' ');
}

function emptyPoint(results: Results): PointResults {
  return { label: '', parameters: {}, durationMs: 0, series: [], ledger: results.ledger };
}

/**
 * The thresholds a results file's scenario declared (`run.scenario.expect`), parsed. The loader
 * validated them at run time; a file edited since gets its bad entries reported as failed checks.
 */
export function thresholdsOfResults(results: Results): { specs: ThresholdSpec[]; parsed: ParsedSpec[] } {
  const scenario = results.run.scenario as { expect?: unknown } | null | undefined;
  const list = Array.isArray(scenario?.expect) ? scenario.expect : [];
  const specs: ThresholdSpec[] = [];
  for (const item of list) {
    if (typeof item === 'string') specs.push({ expression: item });
    else if (item && typeof item === 'object' && typeof (item as ThresholdSpec).expression === 'string')
      specs.push(item as ThresholdSpec);
  }
  return { specs, parsed: specs.map(parseSpec) };
}

export type ParsedSpec =
  | { spec: ThresholdSpec; threshold: Threshold }
  | { spec: ThresholdSpec; error: string };

function parseSpec(spec: ThresholdSpec): ParsedSpec {
  try {
    return { spec, threshold: parseThreshold(spec.expression) };
  } catch (err) {
    if (err instanceof ThresholdSyntaxError) return { spec, error: err.message };
    throw err;
  }
}

/** Evaluates the thresholds a results file carries; unparsable ones are failed outcomes. */
export function evaluateResultsThresholds(results: Results): ThresholdOutcome[] {
  return thresholdsOfResults(results).parsed.map((p) =>
    'error' in p
      ? {
          expression: p.spec.expression,
          passed: false,
          checks: [{ where: '', passed: false, missing: p.error }],
        }
      : evaluateThreshold(results, p.threshold),
  );
}
