/**
 * `lambench sweep` flags that carry a small language of their own (pure): memory lists and ranges,
 * latency constraints, architecture lists. Errors are one line naming the flag.
 */
import { InputError } from '../../core/errors.js';
import { ARCHITECTURES, type Architecture } from '../../cost/prices.js';
import { PERCENTILES, type Percentile } from '../../metrics/sweep-schema.js';

const MIN_MB = 128;
const MAX_MB = 10_240;

const usage = (field: string, message: string) =>
  new InputError('INVALID_ARGUMENT', message, { position: { file: 'command line', field } });

/**
 * `128,256,1769` or `128..3008/64` (every 64 MB from 128 to 3,008, as Power Tuning's "ALL"), or
 * both mixed: `128..1024/128,1769,3008`. Sorted, without duplicates, within Lambda's 128–10,240 MB.
 */
export function parseMemoryList(text: string): number[] {
  const values = new Set<number>();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const range = /^(\d+)\.\.(\d+)(?:\/(\d+))?$/.exec(part);
    if (range) {
      const [from, to, step] = [Number(range[1]), Number(range[2]), Number(range[3] ?? 64)];
      if (step <= 0 || to < from)
        throw usage('--memory', `'${part}': expected FROM..TO/STEP with FROM ≤ TO and STEP > 0`);
      for (let v = from; v <= to; v += step) values.add(v);
      continue;
    }
    if (!/^\d+$/.test(part))
      throw usage('--memory', `'${part}': expected MB values (128,256) or a range (128..3008/64)`);
    values.add(Number(part));
  }
  if (values.size === 0) throw usage('--memory', 'expected at least one memory size in MB');
  for (const v of values) {
    if (v < MIN_MB || v > MAX_MB) throw usage('--memory', `${v} MB: Lambda allows ${MIN_MB} to ${MAX_MB} MB`);
  }
  return [...values].sort((a, b) => a - b);
}

/** `p99<300ms`, `p90 < 1.5s`, `p50<800us` → the percentile and the bound in µs. */
export function parseMaxLatency(text: string): { percentile: Percentile; us: number } {
  const m = /^\s*(p\d+)\s*<\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s)?\s*$/.exec(text);
  const percentile = m?.[1] as Percentile | undefined;
  if (!m || percentile === undefined || !PERCENTILES.includes(percentile)) {
    throw usage('--max-latency', `'${text}': expected ${PERCENTILES.join('|')} < TIME, e.g. p99<300ms`);
  }
  const n = Number(m[2]);
  const unit = m[3] ?? 'ms';
  const us = unit === 's' ? n * 1e6 : unit === 'ms' ? n * 1000 : n;
  return { percentile, us };
}

/** `x86_64,arm64` → the architectures to price, in the order given. */
export function parseArchitectures(text: string): Architecture[] {
  const out: Architecture[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (!(ARCHITECTURES as readonly string[]).includes(part)) {
      throw usage('--architecture', `'${part}': expected ${ARCHITECTURES.join(' or ')}`);
    }
    if (!out.includes(part as Architecture)) out.push(part as Architecture);
  }
  if (out.length === 0) throw usage('--architecture', `expected ${ARCHITECTURES.join(' and/or ')}`);
  return out;
}
