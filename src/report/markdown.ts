/**
 * The Markdown summary: verdict, thresholds, the per function × setting table and the baseline
 * regressions, for a pull-request comment or `$GITHUB_STEP_SUMMARY`. Cells are escaped so a
 * function name or error type cannot break the table or inject HTML (GitHub renders HTML in
 * Markdown).
 */
import type { Comparison } from '../ci/compare-types.js';
import { formatMicros, formatPercent } from '../ci/format-value.js';
import { harnessVerdict } from '../ci/metric-values.js';
import type { ThresholdOutcome } from '../ci/thresholds.js';
import type { Results } from '../metrics/results-schema.js';
import { approximationWarning, engineLabel } from './engine.js';
import { formatChange, formatCompared } from './html/sections.js';
import { reportRows } from './rows.js';

/** Text for one table cell: no pipes, no newlines, no markup. */
export function mdCell(text: string): string {
  return (
    text
      // Backslashes and emphasis first, so the pipes' own escapes are not escaped again.
      .replace(/[`*_[\]\\]/g, (ch) => (ch === '\\' ? '\\\\' : `\\${ch}`))
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\|/g, '\\|')
      .replace(/\r?\n/g, ' ')
  );
}

const code = (text: string) => `<code>${mdCell(text)}</code>`;

export function renderMarkdown(
  results: Results,
  thresholds: readonly ThresholdOutcome[],
  comparison?: Comparison,
): string {
  const failedThresholds = thresholds.filter((t) => !t.passed).length;
  const regressions = comparison?.checks.filter((c) => c.regression).length ?? 0;
  const ok = failedThresholds === 0 && regressions === 0;
  const verdict = ok
    ? '✅ passed'
    : `❌ ${[failedThresholds > 0 ? `${failedThresholds} threshold(s) failed` : '', regressions > 0 ? `${regressions} regression(s)` : ''].filter((x) => x).join(', ')}`;
  const run = results.run;
  const seconds = (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
  const lines: string[] = [
    `## lambench ${mdCell(run.scenarioName)}: ${verdict}`,
    '',
    `engine ${mdCell(engineLabel(results))} · ${run.target.kind === 'local' ? `local emulator, CPU limit ${mdCell(run.target.cpuLimiter ?? 'unknown')}` : 'AWS'} · ${seconds.toFixed(1)} s · ${results.points.length} point(s) · seed ${run.seed} · lambench ${mdCell(run.lambenchVersion)} · ${run.machine.cpus} × ${mdCell(run.machine.cpuModel)}`,
    '',
  ];
  lines.push(...warnings(results));
  const rec = results.sweep?.recommendation;
  if (rec)
    lines.push(
      `**Memory recommendation for ${mdCell(results.sweep?.functionName ?? '')}: ${rec.memoryMB} MB.** ${mdCell(rec.summary)}`,
      '',
    );
  if (thresholds.length > 0) {
    lines.push('### Thresholds', '', '| | threshold | where | actual |', '|---|---|---|---|');
    for (const t of thresholds)
      for (const c of t.checks)
        lines.push(
          `| ${c.passed ? '✅' : '❌'} | ${code(t.expression)} | ${mdCell(c.where || 'whole run')} | ${mdCell(c.actual ?? c.missing ?? 'missing')} |`,
        );
    lines.push('');
  }
  if (comparison) {
    const shown = comparison.checks.filter((c) => c.regression || c.improvement || c.note);
    lines.push(`### Baseline comparison (${mdCell(comparison.baselineLabel)})`, '');
    for (const w of comparison.warnings ?? []) lines.push(`> ⚠️ ${mdCell(w)}`, '');
    if (shown.length === 0)
      lines.push(`No significant change beyond the margins in ${comparison.checks.length} checks.`, '');
    else {
      lines.push(
        '| | where | metric | baseline | current | change | margin | p |',
        '|---|---|---|---|---|---|---|---|',
      );
      for (const c of shown) {
        const value = (v: number | undefined) => (v === undefined ? '–' : formatCompared(v, c.kind));
        lines.push(
          `| ${c.regression ? '❌' : c.improvement ? '🟢' : 'ℹ️'} | ${mdCell([c.point, c.functionName, `${c.memoryMB} MB`].filter((x) => x).join(' '))} | ${mdCell(c.metric)} | ${value(c.baseline)} | ${value(c.current)} | ${c.change === undefined ? mdCell(c.note ?? '–') : formatChange(c.change, c.kind)} | ${formatChange(c.margin, c.kind)} | ${c.pValue === undefined ? '–' : c.pValue.toPrecision(2)} |`,
        );
      }
      lines.push('');
    }
  }
  const rows = reportRows(results);
  const withPoint = new Set(rows.map((r) => `${r.functionName}\u0000${r.memoryMB}`)).size !== rows.length;
  lines.push(
    '### Functions',
    '',
    `| ${withPoint ? 'point | ' : ''}function | memory | invocations | errors | throttles | cold starts | p50 | p90 | p99 | p99.9 | max | max memory used |`,
    `|${withPoint ? '---|' : ''}---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  );
  for (const r of rows) {
    // Rebuilt percentiles (an Artillery run) are marked ≈ so they are not read as recorded ones.
    const us = (v: number | undefined) =>
      v === undefined ? '–' : `${r.approximated ? '≈ ' : ''}${formatMicros(v)}`;
    lines.push(
      `| ${withPoint ? `${mdCell(r.point)} | ` : ''}${mdCell(r.functionName)} | ${r.memoryMB} MB | ${r.invocations} | ${r.errors}${r.errorRate ? ` (${formatPercent(r.errorRate)})` : ''} | ${r.throttles} | ${r.coldStarts}${r.coldStartRate ? ` (${formatPercent(r.coldStartRate)})` : ''} | ${us(r.latency?.p50)} | ${us(r.latency?.p90)} | ${us(r.latency?.p99)} | ${us(r.latency?.p999)} | ${us(r.latency?.max)} | ${r.maxMemoryUsedMB === undefined ? '–' : `${r.maxMemoryUsedMB} MB`} |`,
    );
  }
  const errorTypes = rows.flatMap((r) =>
    Object.entries(r.errorsByType).map(
      ([type, n]) => `- ${mdCell(r.functionName)} ${r.memoryMB} MB: ${code(type)} × ${n}`,
    ),
  );
  if (errorTypes.length > 0) lines.push('', '**Errors by type**', '', ...errorTypes.slice(0, 30));
  const l = results.ledger;
  lines.push(
    '',
    `Ledger: ${l.arrivals} arrivals = ${
      Object.entries(l.buckets)
        .filter(([, n]) => n > 0)
        .map(([b, n]) => `${n} ${b}`)
        .join(' + ') || '0'
    } ${l.balanced ? '(balanced)' : '**(does NOT add up)**'}`,
    '',
  );
  return lines.join('\n');
}

function warnings(results: Results): string[] {
  const out: string[] = [];
  const run = results.run;
  if (run.aborted)
    out.push(`> ⚠️ The run was stopped early${run.abortReason ? `: ${mdCell(run.abortReason)}` : ''}.`);
  const verdict = harnessVerdict(results);
  if (verdict && !verdict.clean)
    out.push(`> ⚠️ The harness did not keep up: ${verdict.reasons.map(mdCell).join('; ')}`);
  else if (!verdict && run.harness.saturated)
    out.push('> ⚠️ The harness was saturated: latencies include harness delay.');
  if (!results.ledger.balanced)
    out.push(`> ❌ The ledger does not add up: ${results.ledger.discrepancies.map(mdCell).join('; ')}`);
  const approximation = approximationWarning(results);
  if (approximation) out.push(`> ⚠️ ≈ ${mdCell(approximation)}`);
  if (run.engine !== undefined)
    out.push(`> ℹ️ The harness was not monitored: ${mdCell(engineLabel(results))} generated the load.`);
  return out.length > 0 ? [...out, ''] : [];
}
