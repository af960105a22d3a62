/**
 * Threshold expressions as written in a scenario's `expect:` list, parsed into a checked form:
 *
 *   thumbnailer.latency.p99 < 800ms     a function's metric against a limit with a unit
 *   thumbnailer@512.latency.p99 < 1s    … at one memory setting only
 *   coldStarts.rate < 5%                the same metric over every function
 *   harness.clean                       a true/false check; `!run.aborted` negates one
 *
 * Pure: parsing knows nothing of a run; a problem is a ThresholdSyntaxError carrying the character
 * offset, so the scenario loader can point at the column.
 */
import { type MetricKind, metricKind } from './metric-namespace.js';

export const OPERATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Threshold {
  /** The expression as written (trimmed). */
  expression: string;
  /** Only this function (and memory setting); every function when absent. */
  functionName?: string;
  memoryMB?: number;
  /** The metric path without the function prefix, e.g. ['latency', 'p99']. */
  metric: string[];
  kind: MetricKind;
  /** Comparison against `limit`; absent for a bare boolean check. */
  operator?: Operator;
  /** In the metric's base unit: µs for durations, a fraction for rates, MB, USD, plain numbers. */
  limit?: number;
  /** `!harness.clean`: the boolean must be false. */
  negated?: boolean;
}

export class ThresholdSyntaxError extends Error {
  override name = 'ThresholdSyntaxError';
  /** 0-based character offset into the expression. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

const PATH = /^(!?)\s*([A-Za-z_][\w-]*(?:@\d+)?(?:\.[A-Za-z_][\w-]*)*)/;
const VALUE = /^(\$)?(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|ms|s|m|h|%|MB|GB)?$/;

const DURATION_US: Record<string, number> = { us: 1, µs: 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6 };

/** Parses one expression; throws ThresholdSyntaxError (with the offset) when it is not valid. */
export function parseThreshold(text: string): Threshold {
  const lead = text.length - text.trimStart().length;
  const expression = text.trim();
  if (expression === '')
    throw new ThresholdSyntaxError('empty threshold; expected e.g. "latency.p99 < 800ms"', 0);
  const head = PATH.exec(expression);
  if (!head) {
    throw new ThresholdSyntaxError(
      `expected a metric name like "latency.p99" or "myFunction.errors.rate", found "${expression}"`,
      lead,
    );
  }
  const negated = head[1] === '!';
  const pathText = head[2] ?? '';
  const pathOffset = lead + (head[0].length - pathText.length);
  const target = splitTarget(pathText, pathOffset);
  const rest = expression.slice(head[0].length);
  const restOffset = lead + head[0].length;
  const base: Threshold = { expression, metric: target.metric, kind: target.kind, ...target.scope };

  if (target.kind === 'boolean') {
    if (rest.trim() !== '') {
      throw new ThresholdSyntaxError(
        `${target.metric.join('.')} is true or false: write it alone, or negated as !${target.metric.join('.')}`,
        restOffset + (rest.length - rest.trimStart().length),
      );
    }
    return negated ? { ...base, negated } : base;
  }
  if (negated)
    throw new ThresholdSyntaxError(`"!" applies only to true/false checks such as !run.aborted`, lead);
  const opMatch = /^\s*(<=|>=|==|!=|<|>)\s*/.exec(rest);
  if (!opMatch) {
    throw new ThresholdSyntaxError(
      rest.trim() === ''
        ? `missing comparison: expected ${target.metric.join('.')} < <limit>, with one of ${OPERATORS.join(' ')}`
        : `expected one of ${OPERATORS.join(' ')} after ${target.metric.join('.')}, found "${rest.trim()}"`,
      restOffset + (rest.length - rest.trimStart().length),
    );
  }
  const operator = opMatch[1] as Operator;
  const valueText = rest.slice(opMatch[0].length);
  const valueOffset = restOffset + opMatch[0].length;
  const limit = parseLimit(valueText, target.kind, target.metric.join('.'), valueOffset);
  return { ...base, operator, limit };
}

interface Target {
  metric: string[];
  kind: MetricKind;
  scope: { functionName?: string; memoryMB?: number };
}

/** Splits `fn@512.latency.p99` into the scope and the metric, checking the metric exists. */
function splitTarget(pathText: string, offset: number): Target {
  const segments = pathText.split('.');
  const whole = segments[0]?.includes('@') ? undefined : metricKind(segments);
  if (typeof whole === 'string') return { metric: segments, kind: whole, scope: {} };
  const [first = '', ...metric] = segments;
  const scoped = metric.length > 0 ? metricKind(metric) : undefined;
  if (scoped !== undefined && typeof scoped === 'string') {
    if (isRunWide(metric)) {
      throw new ThresholdSyntaxError(
        `${metric.join('.')} is about the whole run; it takes no function prefix`,
        offset,
      );
    }
    const [functionName = '', memory] = first.split('@');
    const scope: Target['scope'] = { functionName };
    if (memory !== undefined) scope.memoryMB = Number(memory);
    return { metric, kind: scoped, scope };
  }
  // Explain with the reading that got furthest: a prefixed metric when the first segment is not one.
  const reason = whole?.unknown;
  const scopedReason = scoped && typeof scoped !== 'string' ? scoped.unknown : undefined;
  const useScoped = scopedReason !== undefined && !/^unknown metric/.test(scopedReason);
  const why = (useScoped ? scopedReason : reason) ?? 'unknown metric';
  throw new ThresholdSyntaxError(
    `${why} in "${pathText}"; see docs/thresholds.md for the metric names`,
    offset + (useScoped ? first.length + 1 : 0),
  );
}

function isRunWide(metric: readonly string[]): boolean {
  const head = metric[0];
  return head === 'harness' || head === 'ledger' || head === 'run' || head === 'scheduler';
}

const UNIT_HELP: Record<MetricKind, string> = {
  duration: 'a duration with a unit, like 800ms, 1.5s or 250us',
  rate: 'a percentage, like 5% or 0.1%',
  count: 'a whole number',
  memory: 'memory with a unit, like 512MB or 1GB',
  usd: 'an amount in US dollars, like $0.20 or 0.2',
  number: 'a number',
  boolean: 'nothing',
};

function parseLimit(text: string, kind: MetricKind, metric: string, offset: number): number {
  const m = VALUE.exec(text.trim());
  const fail = (): never => {
    throw new ThresholdSyntaxError(
      `${metric} needs ${UNIT_HELP[kind]}, found "${text.trim() || 'nothing'}"`,
      offset,
    );
  };
  if (!m) return fail();
  const dollar = m[1] !== undefined;
  const value = Number(m[2]);
  const unit = m[3];
  if (dollar && kind !== 'usd') return fail();
  switch (kind) {
    case 'duration':
      return unit !== undefined && unit in DURATION_US ? value * (DURATION_US[unit] ?? 1) : fail();
    case 'rate':
      return unit === '%' ? value / 100 : fail();
    case 'memory':
      return unit === 'MB' ? value : unit === 'GB' ? value * 1024 : fail();
    case 'count':
      return unit === undefined && Number.isInteger(value) ? value : fail();
    case 'usd':
    case 'number':
      return unit === undefined ? value : fail();
    default:
      return fail();
  }
}
