/**
 * HDR histograms as lambench uses them: integer microseconds from 1 µs to 1 h (or integer MB for
 * memory), 3 significant digits (0.1% resolution), the pure-JS 32-bit implementation — the
 * fastest per record() without WebAssembly (packed is ~5× slower to record and ~100× slower to
 * query). Stored encoded ("HISTF…" compressed base64, interoperable with the other HdrHistogram
 * ports) and merged with `add`.
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';
import { InputError, LambenchError } from '../core/errors.js';

export type { Histogram };

export type HistogramUnit = 'us' | 'MB';

/** 1 h in µs: longer than Lambda's 15-minute maximum timeout, with room for async event age. */
export const MAX_LATENCY_US = 3_600_000_000;
/** Max memory used is reported in MB; Lambda allows up to 10,240. */
export const MAX_MEMORY_MB = 65_536;

const RANGE: Record<HistogramUnit, number> = { us: MAX_LATENCY_US, MB: MAX_MEMORY_MB };

export function createHistogram(unit: HistogramUnit): Histogram {
  return build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: RANGE[unit],
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    useWebAssembly: false,
  });
}

/**
 * Records a value after rounding to an integer and clamping into the range (the JS and WASM
 * implementations disagree on fractions). Returns false when the value had to be clamped.
 */
export function recordClamped(histogram: Histogram, value: number, unit: HistogramUnit): boolean {
  const max = RANGE[unit];
  const rounded = Math.round(value);
  if (rounded >= 0 && rounded <= max) {
    histogram.recordValue(rounded);
    return true;
  }
  histogram.recordValue(rounded < 0 || Number.isNaN(rounded) ? 0 : max);
  return false;
}

/** ms (fractional, monotonic clock) → integer µs as recorded. */
export function msToUs(ms: number): number {
  return Math.round(ms * 1000);
}

/** Precomputed figures for readers that do not decode; in the histogram's unit. */
export interface HistogramSummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export function summarizeHistogram(histogram: Histogram): HistogramSummary {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  const at = (p: number): number => histogram.getValueAtPercentile(p);
  return {
    count,
    // Exact (tracked at record time) unless a zero was recorded; decoded histograms give the
    // lowest value of the bucket instead, as they do for max.
    min: at(0) === 0 ? 0 : histogram.minNonZeroValue,
    mean: histogram.mean,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: histogram.maxValue,
  };
}

export interface EncodedHistogram {
  unit: HistogramUnit;
  /** HdrHistogram V2 compressed, base64 ("HISTF…"). */
  encoded: string;
  summary: HistogramSummary;
}

export function encodeHistogram(histogram: Histogram, unit: HistogramUnit): EncodedHistogram {
  return { unit, encoded: encodeIntoCompressedBase64(histogram), summary: summarizeHistogram(histogram) };
}

export function decodeHistogram(encoded: string): Histogram {
  return decodeFromCompressedBase64(encoded, 32, false);
}

/**
 * Decodes each histogram and adds them into one: how runs, workers and sources are merged and
 * re-analysed. Accepts encoded strings or EncodedHistogram objects (their units must agree).
 */
export function mergeHistograms(encoded: ReadonlyArray<string | EncodedHistogram>): Histogram {
  const units = new Set(encoded.flatMap((e) => (typeof e === 'string' ? [] : [e.unit])));
  if (units.size > 1) {
    throw new LambenchError(
      'HISTOGRAM_UNITS',
      `cannot merge histograms of different units: ${[...units].join(', ')}`,
    );
  }
  const unit: HistogramUnit = units.has('MB') ? 'MB' : 'us';
  const total = createHistogram(unit);
  encoded.forEach((item, i) => {
    const text = typeof item === 'string' ? item : item.encoded;
    let decoded: Histogram;
    try {
      decoded = decodeHistogram(text);
    } catch (cause) {
      throw new InputError('BAD_HISTOGRAM', `histogram ${i}: not an encoded HdrHistogram ("HISTF…" base64)`, {
        cause,
      });
    }
    total.add(decoded);
  });
  return total;
}
