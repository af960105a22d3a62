/**
 * `expect:` and `report:` → checked thresholds and report options. Each threshold expression is
 * parsed here, at load time, so a typo is a file:line:col error before anything runs — pointing
 * at the character where the expression went wrong when the YAML scalar sits on one line.
 */
import path from 'node:path';
import { isScalar, type Scalar } from 'yaml';
import { liveCheckProblem } from '../ci/live-thresholds.js';
import { parseThreshold, ThresholdSyntaxError } from '../ci/threshold-syntax.js';
import { InputError, type SourcePosition } from '../core/errors.js';
import type { Reporter } from './reporter.js';
import type { RawScenario } from './schema.js';
import { closestName } from './suggest.js';
import type { ScenarioFunction, ScenarioReport, ScenarioThreshold } from './types.js';
import { parseDuration } from './units.js';
import { nodeAt, type PathSegment } from './yaml-document.js';

export function resolveExpect(
  raw: RawScenario['expect'],
  functions: Readonly<Record<string, ScenarioFunction>>,
  reporter: Reporter,
): ScenarioThreshold[] {
  const out: ScenarioThreshold[] = [];
  (raw ?? []).forEach((item, i) => {
    const isText = typeof item === 'string';
    const at: PathSegment[] = isText ? ['expect', i] : ['expect', i, 'threshold'];
    const expression = isText ? item : item.threshold;
    try {
      const threshold = parseThreshold(expression);
      const fn = threshold.functionName;
      if (fn !== undefined && !(fn in functions)) {
        const names = Object.keys(functions);
        const hint = closestName(fn, names);
        reporter.fail(
          at,
          `threshold "${expression}": no function named "${fn}"${hint ? `; did you mean "${hint}"?` : `; expected one of ${names.join(', ')}`}`,
        );
        return;
      }
      const memory = threshold.memoryMB;
      if (fn !== undefined && memory !== undefined && !functions[fn]?.memoryMB.includes(memory)) {
        reporter.fail(
          at,
          `threshold "${expression}": ${fn} does not run at ${memory} MB; its memory settings are ${functions[fn]?.memoryMB.join(', ')}`,
        );
        return;
      }
      const live = !isText && item.abortOnFail ? liveCheckProblem(threshold) : undefined;
      if (live) {
        reporter.fail(['expect', i, 'abortOnFail'], `threshold "${expression}": ${live}`);
        return;
      }
    } catch (err) {
      if (!(err instanceof ThresholdSyntaxError)) throw err;
      failAt(reporter, at, err, expression);
      return;
    }
    const spec: ScenarioThreshold = { expression: expression.trim() };
    if (!isText) {
      if (item.abortOnFail !== undefined) spec.abortOnFail = item.abortOnFail;
      if (item.delayAbortEval !== undefined) spec.delayAbortMs = parseDuration(item.delayAbortEval) ?? 0;
    }
    out.push(spec);
  });
  return out;
}

/** Reports a syntax error at the column of the offending character when the scalar allows it. */
function failAt(reporter: Reporter, at: PathSegment[], err: ThresholdSyntaxError, expression: string): void {
  const position = reporter.at(at);
  const node = nodeAt(reporter.parsed, at);
  const message = reporter.withOrigin(at, `threshold "${expression.trim()}": ${err.message}`);
  if (position.column !== undefined && isScalar(node) && onOneLine(node)) {
    const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    position.column += quote + err.offset;
  }
  reporter.add(new ThresholdInputError(message, position));
}

function onOneLine(node: Scalar): boolean {
  return (
    node.type !== 'BLOCK_FOLDED' &&
    node.type !== 'BLOCK_LITERAL' &&
    !String(node.source ?? node.value).includes('\n')
  );
}

class ThresholdInputError extends InputError {
  constructor(message: string, position: SourcePosition) {
    super('THRESHOLD_INVALID', message, { position });
  }
}

/** `report:` with its file paths made absolute against the scenario's folder. */
export function resolveReport(raw: RawScenario['report'], baseDir: string): ScenarioReport | undefined {
  if (raw === undefined) return undefined;
  const out: ScenarioReport = {};
  if (raw.html !== undefined) out.html = raw.html;
  if (raw.summary !== undefined) out.summary = raw.summary;
  if (raw.junit !== undefined) out.junit = raw.junit;
  if (raw.baseline !== undefined) out.baseline = path.resolve(baseDir, raw.baseline);
  if (raw.maxRegression !== undefined) out.maxRegression = raw.maxRegression;
  return out;
}
