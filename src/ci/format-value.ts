/** Metric values in words, by kind: 812 ms, 4.20%, 512 MB, $0.21, 1,234. */
import type { MetricKind } from './metric-namespace.js';

/** A value of `kind` in its base unit (µs, fraction, MB, USD) as short text. */
export function formatValue(value: number, kind: MetricKind): string {
  switch (kind) {
    case 'duration':
      return formatMicros(value);
    case 'rate':
      return formatPercent(value);
    case 'memory':
      return `${round(value)} MB`;
    case 'usd':
      return `$${value < 1 ? value.toPrecision(3) : value.toFixed(2)}`;
    case 'count':
      return Math.round(value).toLocaleString('en-US');
    default:
      return round(value).toLocaleString('en-US');
  }
}

/** µs → "850 µs", "12.3 ms", "123 ms", "1.23 s". */
export function formatMicros(us: number): string {
  if (Math.abs(us) < 1000) return `${Math.round(us)} µs`;
  const ms = us / 1000;
  if (Math.abs(ms) < 100) return `${ms.toFixed(1)} ms`;
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return Math.abs(s) < 100 ? `${s.toFixed(2)} s` : `${Math.round(s)} s`;
}

/** Fraction → "4.20%", with more digits for small rates ("0.050%"). */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  return Math.abs(pct) >= 10
    ? `${pct.toFixed(1)}%`
    : Math.abs(pct) >= 0.1
      ? `${pct.toFixed(2)}%`
      : `${pct.toPrecision(2)}%`;
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}
