// The contract between a benchmark script and the suite: a script exports
//   about: string                                  — one line: what it measures
//   run(args: string[], { smoke: boolean }): Promise<Row[]>
// and prints its own detail as it goes. A Row is one figure of the suite table:
//   { key, label, value, unit, min?, max?, runs?, detail?, text? }
// `key` is stable ("peers.lambench-local.trivial.c4") so the suite's targets can find it; `value` is
// the median of `runs` runs with `min`/`max` the spread; a row that is not a number (an outcome, a
// version) has value null and says it in `text`. With `smoke` a script runs for about a second,
// enough to prove it still works, not to measure.
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';

export { spread } from './measure.mjs';

/** A numeric row; `s` is a number or a spread ({ median, min, max, runs }). */
export function row(key, label, s, unit, detail) {
  const base =
    typeof s === 'number' ? { value: s } : { value: s.median, min: s.min, max: s.max, runs: s.runs };
  return { key, label, ...base, unit, ...(detail ? { detail } : {}) };
}

/** A row whose figure is words (an outcome, a version). */
export function textRow(key, label, text, detail) {
  return { key, label, value: null, unit: '', text, ...(detail ? { detail } : {}) };
}

/** Parses `--name value` from a script's arguments. */
export function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  if (i < 0 || args[i + 1] === undefined) return fallback;
  return typeof fallback === 'number' ? Number(args[i + 1]) : args[i + 1];
}

/** The machine a figure was measured on, as the README names it. */
export function machine() {
  const cpu = cpus();
  return {
    cpu: `${cpu.length} × ${cpu[0]?.model?.trim() ?? 'unknown CPU'}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeGiB: Math.round(freemem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    loadavg: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

const num = (v, unit) => {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3;
  const s = v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return unit === '%' ? `${s}%` : s;
};

/** The cells of one row: figure, value, unit, spread, detail. */
export function cells(r) {
  // Words go in the detail column, so the figures column stays narrow and aligned.
  if (r.value === null) return [r.label, '', '', '', [r.text, r.detail].filter(Boolean).join('; ')];
  const value = num(r.value, r.unit);
  const unit = r.unit === '%' ? '' : r.unit;
  const range =
    r.min !== undefined && r.runs > 1 ? `${num(r.min, r.unit)}–${num(r.max, r.unit)} (${r.runs})` : '';
  return [r.label, value, unit, range, r.detail ?? ''];
}

/** A plain-text table, columns padded to their widest cell; a line given as a string is a heading. */
export function textTable(header, lines) {
  const rows = lines.filter((l) => Array.isArray(l));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((l) => String(l[i]).length)));
  const numeric = (c) => /^[-−\d.,%—]+$/.test(String(c));
  const fmt = (l) =>
    typeof l === 'string'
      ? l
      : l
          .map((c, i) => (i > 0 && numeric(c) ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
          .join('  ')
          .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

/** A Markdown table. */
export function markdownTable(header, lines) {
  const esc = (c) => String(c).replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...lines.map((l) => `| ${l.map(esc).join(' | ')} |`),
  ].join('\n');
}

export const ROW_HEADER = ['figure', 'median', 'unit', 'min–max (runs)', 'detail'];
