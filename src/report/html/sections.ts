/**
 * The report's sections as HTML strings. Every value from results.json passes through `html()`;
 * numbers are formatted here so the tables read the same as the terminal summary.
 */

import type { Comparison } from '../../ci/compare-types.js';
import { formatMicros, formatPercent } from '../../ci/format-value.js';
import { harnessVerdict } from '../../ci/metric-values.js';
import type { ThresholdOutcome } from '../../ci/thresholds.js';
import type { Results } from '../../metrics/results-schema.js';
import { LEDGER_BUCKETS } from '../../metrics/types.js';
import { approximationWarning, engineLabel } from '../engine.js';
import type { LatencyFigures, ReportRow } from '../rows.js';
import { html, redactEnvironment } from './escape.js';

/** A number of µs as the tables show it, or a dash. */
const us = (v: number | undefined): string => (v === undefined ? '–' : html(formatMicros(v)));
const exact = us;
const pct = (v: number | undefined): string => (v === undefined ? '–' : html(formatPercent(v)));
const int = (v: number): string => v.toLocaleString('en-US');

export function headerSection(results: Results, title: string): string {
  const run = results.run;
  const scenario = run.scenario as { description?: unknown } | null;
  const seconds = (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
  const machine = run.machine;
  const limiter = run.target.kind === 'local' ? (run.target.cpuLimiter ?? 'unknown') : 'AWS (real Lambda)';
  const items: [string, string][] = [
    ['engine', engineLabel(results)],
    ['target', run.target.kind === 'local' ? 'local emulator' : 'AWS'],
    ['CPU limit', limiter],
    ['started', run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')],
    ['duration', `${seconds.toFixed(1)} s`],
    ['points', String(results.points.length)],
    ['seed', String(run.seed)],
    ['lambench', run.lambenchVersion],
    ['node', run.nodeVersion],
    ['machine', `${machine.cpus} × ${machine.cpuModel}`],
    ['memory', `${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
    ['os', `${machine.os} ${machine.arch}`],
  ];
  const description =
    typeof scenario?.description === 'string' ? `<p class="muted">${html(scenario.description)}</p>` : '';
  return `<header>
<h1>${html(title)}</h1>
${description}
<div class="meta">${items.map(([k, v]) => `<div title="${html(v)}"><b>${html(k)}</b>${html(v)}</div>`).join('')}</div>
${run.target.notes.length > 0 ? `<p class="note">${run.target.notes.map(html).join('<br>')}</p>` : ''}
${run.engine && run.engine.notes.length > 0 ? `<p class="note" id="engine-notes"><b>${html(engineLabel(results))}:</b> ${run.engine.notes.map(html).join('; ')}</p>` : ''}
</header>`;
}

/** Harness warnings, aborted runs, dropped arrivals and ledger problems — shown before anything else. */
export function warningsSection(results: Results): string {
  const warnings: string[] = [];
  const run = results.run;
  if (run.aborted)
    warnings.push(`The run was stopped early${run.abortReason ? `: ${html(run.abortReason)}` : ''}.`);
  const verdict = harnessVerdict(results);
  if (verdict && !verdict.clean) {
    warnings.push(
      `The harness did not keep up; latencies may include harness delay: ${verdict.reasons.map(html).join('; ')}`,
    );
  } else if (!verdict && run.harness.saturated) {
    const saturated = run.harness.samples.filter((s) => s.saturated);
    const reasons = [...new Set(saturated.map((s) => s.reason).filter((r): r is string => !!r))].slice(0, 3);
    warnings.push(
      `The harness was saturated in ${saturated.length} of ${run.harness.samples.length} samples${reasons.length ? ` (${reasons.map(html).join('; ')})` : ''}: latencies include harness delay.`,
    );
  }
  const dropped = results.points.reduce(
    (n, p) =>
      n + p.series.reduce((m, s) => m + (s.counters.droppedByReason['harness-max-in-flight'] ?? 0), 0),
    0,
  );
  if (dropped > 0)
    warnings.push(
      `${int(dropped)} arrival(s) dropped by the harness (maxInFlight reached): the load was not fully applied.`,
    );
  const late = results.points.reduce((n, p) => n + (p.scheduler?.lateOver10Ms ?? 0), 0);
  const lag = Math.max(0, ...results.points.map((p) => p.scheduler?.maxLagMs ?? 0));
  if (late > 0)
    warnings.push(`${int(late)} arrival(s) fired more than 10 ms late (worst ${lag.toFixed(0)} ms).`);
  if (!results.ledger.balanced) {
    warnings.push(`The ledger does not add up: ${results.ledger.discrepancies.map(html).join('; ')}`);
  }
  // Another engine drove the load: its figures are flagged first, and lambench's harness monitor did
  // not run, so "kept up" cannot be claimed.
  const approximation = approximationWarning(results);
  const engine = approximation
    ? `<div class="banner warn" id="approximation"><b>≈ Approximate histograms.</b> ${html(approximation)}</div>\n`
    : '';
  if (warnings.length === 0 && run.engine !== undefined)
    return `${engine}<div class="banner" id="harness-not-monitored">Harness: not monitored — ${html(engineLabel(results))} generated the load; lambench's own saturation checks did not run.</div>`;
  if (warnings.length === 0)
    return '<div class="banner ok" id="harness-ok">Harness: kept up with the load (no saturation, no drops, no late arrivals).</div>';
  return `${engine}<div class="banner warn" id="warnings"><b>Warnings</b><ul>${warnings.map((w) => `<li>${w}</li>`).join('')}</ul></div>`;
}

export function thresholdsSection(outcomes: readonly ThresholdOutcome[]): string {
  if (outcomes.length === 0)
    return '<p class="muted" id="thresholds">No thresholds (<code>expect:</code>) in this scenario.</p>';
  const failed = outcomes.filter((o) => !o.passed).length;
  const banner =
    failed === 0
      ? `<div class="banner ok">All ${outcomes.length} threshold(s) passed.</div>`
      : `<div class="banner bad">${failed} of ${outcomes.length} threshold(s) failed.</div>`;
  const rows = outcomes.flatMap((o) =>
    o.checks.map(
      (c, i) => `<tr>
<td class="l">${i === 0 ? `<code>${html(o.expression)}</code>` : ''}</td>
<td class="l">${html(c.where || 'whole run')}</td>
<td>${c.actual === undefined ? `<span class="fail">${html(c.missing ?? 'missing')}</span>` : html(c.actual)}</td>
<td class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'pass' : 'FAIL'}</td></tr>`,
    ),
  );
  return `<section id="thresholds"><h2>Thresholds</h2>${banner}
<div class="table-wrap"><table><thead><tr><th class="l">threshold</th><th class="l">where</th><th>actual</th><th>result</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div></section>`;
}

export function functionsTable(rows: readonly ReportRow[], withPoint: boolean): string {
  const hasCost = rows.some((r) => r.costPer1M !== undefined);
  const head = [
    withPoint ? '<th class="l">point</th>' : '',
    '<th class="l">function</th><th>memory</th><th>invocations</th><th>errors</th><th>throttles</th><th>cold starts</th>',
    '<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>init p50 / max</th><th>memory used</th><th>calls/s</th>',
    hasCost ? '<th>cost / 1M</th>' : '',
  ].join('');
  const body = rows.map((r) => {
    const l: LatencyFigures | undefined = r.latency;
    // Rebuilt percentiles (an Artillery run) are marked, so nobody reads them as recorded ones.
    const us = (v: number | undefined) =>
      v === undefined
        ? '–'
        : r.approximated
          ? `<span class="approx" title="approximate: rebuilt from Artillery summaries">≈ ${exact(v)}</span>`
          : exact(v);
    const errorTypes = Object.entries(r.errorsByType)
      .sort((a, b) => b[1] - a[1])
      .map(([type, n]) => `${html(type)} × ${int(n)}`)
      .join('<br>');
    const memory =
      r.maxMemoryUsedMB === undefined
        ? '–'
        : `${int(r.maxMemoryUsedMB)} / ${int(r.memoryMB)} MB <span class="muted">(${Math.round((100 * r.maxMemoryUsedMB) / r.memoryMB)}%)</span>`;
    return `<tr data-row="${html(r.id)}"${r.approximated ? ' data-approximated="true"' : ''}>
${withPoint ? `<td class="l">${html(r.point)}</td>` : ''}<td class="l">${html(r.functionName)}</td><td>${int(r.memoryMB)} MB</td>
<td data-k="invocations">${int(r.invocations)}</td>
<td data-k="errors" class="${r.errors > 0 ? 'fail' : ''}">${int(r.errors)}${r.errorRate ? ` <span class="muted">(${pct(r.errorRate)})</span>` : ''}${errorTypes ? `<div class="muted mono">${errorTypes}</div>` : ''}</td>
<td data-k="throttles" class="${r.throttles > 0 ? 'warn-text' : ''}">${int(r.throttles)}</td>
<td data-k="coldStarts">${int(r.coldStarts)}${r.coldStartRate !== undefined ? ` <span class="muted">(${pct(r.coldStartRate)})</span>` : ''}</td>
<td data-k="p50">${us(l?.p50)}</td><td data-k="p90">${us(l?.p90)}</td><td data-k="p99">${us(l?.p99)}</td><td data-k="p999">${us(l?.p999)}</td><td data-k="max">${us(l?.max)}</td>
<td data-k="init">${r.init ? `${us(r.init.p50)} / ${us(r.init.max)}` : '–'}</td>
<td data-k="memory">${memory}</td><td data-k="throughput">${r.throughput === undefined ? '–' : r.throughput.toFixed(1)}</td>
${hasCost ? `<td data-k="cost">${r.costPer1M === undefined ? '–' : `$${html(r.costPer1M.toPrecision(3))}`}</td>` : ''}</tr>`;
  });
  return `<section id="functions"><h2>Functions</h2>
<p class="note">One row per function and memory setting${withPoint ? ' at each sweep point' : ''}. Latency is client latency from the intended start (cold and warm together); rates in brackets are errors per attempt and cold starts per invocation.</p>
<div class="table-wrap"><table id="functions-table"><thead><tr>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table></div></section>`;
}

export function ledgerSection(results: Results): string {
  const points = results.points.length > 1 ? results.points : [];
  const head = `<tr><th class="l">scope</th><th>arrivals</th>${LEDGER_BUCKETS.map((b) => `<th>${html(b)}</th>`).join('')}<th>balanced</th></tr>`;
  const line = (scope: string, l: Results['ledger']) =>
    `<tr><td class="l">${html(scope)}</td><td>${int(l.arrivals)}</td>${LEDGER_BUCKETS.map((b) => `<td>${int(l.buckets[b] ?? 0)}</td>`).join('')}<td class="${l.balanced ? 'pass' : 'fail'}">${l.balanced ? 'yes' : 'NO'}</td></tr>`;
  const reasons: string[] = [];
  for (const p of results.points)
    for (const s of p.series)
      for (const [bucket, byReason] of Object.entries(s.counters.outcomeReasons))
        for (const [reason, n] of Object.entries(byReason))
          reasons.push(
            `<tr><td class="l">${html(`${p.label ? `${p.label} ` : ''}${s.key.source} → ${s.key.functionName}`)}</td><td class="l">${html(bucket)}</td><td class="l mono">${html(reason)}</td><td>${int(n)}</td></tr>`,
          );
  return `<section id="ledger"><h2>Ledger</h2>
<p class="note">Every generated event ends in exactly one bucket; the buckets add up to the arrivals.</p>
<div class="table-wrap"><table id="ledger-table"><thead>${head}</thead><tbody>${line('whole run', results.ledger)}${points.map((p) => line(p.label, p.ledger)).join('')}</tbody></table></div>
${results.ledger.discrepancies.length > 0 ? `<div class="banner bad">${results.ledger.discrepancies.map(html).join('<br>')}</div>` : ''}
${reasons.length > 0 ? `<h3>Why events did not succeed</h3><div class="table-wrap"><table><thead><tr><th class="l">series</th><th class="l">bucket</th><th class="l">reason</th><th>events</th></tr></thead><tbody>${reasons.slice(0, 200).join('')}</tbody></table></div>` : ''}
</section>`;
}

/** The scenario as run: functions (environment values that look secret redacted) and sources. */
export function scenarioSection(results: Results): string {
  const scenario = results.run.scenario as { functions?: unknown; sources?: unknown } | null;
  const functions = isRecord(scenario?.functions) ? Object.values(scenario.functions).filter(isRecord) : [];
  const sources = isRecord(scenario?.sources) ? Object.values(scenario.sources).filter(isRecord) : [];
  if (functions.length === 0 && sources.length === 0) return '';
  const fnRows = functions.map((f) => {
    const env = isRecord(f.environment) ? redactEnvironment(f.environment) : {};
    const envText = Object.entries(env)
      .map(([k, v]) => `${html(k)}=${html(v)}`)
      .join('<br>');
    return `<tr><td class="l">${html(String(f.name ?? ''))}</td><td class="l mono">${html(String(f.handler ?? ''))}</td><td class="l">${html(String(f.runtime ?? ''))}</td><td>${html(Array.isArray(f.memoryMB) ? f.memoryMB.join(', ') : '')}</td><td>${typeof f.timeoutMs === 'number' ? html(`${f.timeoutMs / 1000} s`) : ''}</td><td class="l mono">${envText || '–'}</td></tr>`;
  });
  const srcRows = sources.map((s) => {
    const to = Array.isArray(s.to) ? s.to.map(String).join(', ') : '';
    const load = isRecord(s.load) ? describeLoad(s.load) : '';
    return `<tr><td class="l">${html(String(s.name ?? ''))}</td><td class="l">${html(String(s.kind ?? ''))}</td><td class="l">${html(to)}</td><td class="l">${html(load)}</td></tr>`;
  });
  return `<section id="scenario"><h2>Scenario</h2>
<div class="table-wrap"><table><thead><tr><th class="l">function</th><th class="l">handler</th><th class="l">runtime</th><th>memory (MB)</th><th>timeout</th><th class="l">environment</th></tr></thead><tbody>${fnRows.join('')}</tbody></table></div>
${srcRows.length > 0 ? `<div class="table-wrap"><table><thead><tr><th class="l">source</th><th class="l">kind</th><th class="l">to</th><th class="l">load</th></tr></thead><tbody>${srcRows.join('')}</tbody></table></div>` : ''}
</section>`;
}

function describeLoad(load: Record<string, unknown>): string {
  if (load.kind === 'closed') return `closed: ${String(load.concurrency ?? '?')} callers`;
  const phases = Array.isArray(load.phases) ? load.phases.filter(isRecord) : [];
  return phases
    .map((p) => {
      const seconds = typeof p.durationMs === 'number' ? `${p.durationMs / 1000}s` : '';
      if (p.kind === 'pause') return `pause ${seconds}`;
      if (p.kind === 'ramp') return `${seconds} ramp ${String(p.from)}→${String(p.to)}/s`;
      if (p.kind === 'count') return `${String(p.count)} events over ${seconds}`;
      return `${seconds} at ${String(p.rate)}/s`;
    })
    .join(', ');
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The baseline comparison: every compared metric, regressions first. */
export function comparisonSection(comparison: Comparison): string {
  const regressions = comparison.checks.filter((c) => c.regression);
  const banner = comparison.passed
    ? `<div class="banner ok">No significant regression against the baseline (${comparison.checks.length} checks).</div>`
    : `<div class="banner bad">${regressions.length} regression(s) against the baseline${comparison.checks.some((c) => c.regression && c.current === undefined) ? ' (or figures missing now)' : ''}.</div>`;
  const ordered = [...comparison.checks].sort((a, b) => Number(b.regression) - Number(a.regression));
  const rows = ordered.map((c) => {
    const value = (v: number | undefined) => (v === undefined ? '–' : html(formatCompared(v, c.kind)));
    const verdict = c.regression
      ? '<span class="fail">REGRESSION</span>'
      : c.improvement
        ? '<span class="pass">better</span>'
        : c.significant
          ? 'within margin'
          : 'no significant change';
    return `<tr><td class="l">${html([c.point, c.functionName, `${c.memoryMB} MB`].filter((x) => x).join(' '))}</td><td class="l"><code>${html(c.metric)}</code></td>
<td>${value(c.baseline)}</td><td>${value(c.current)}</td><td>${c.change === undefined ? '–' : html(formatChange(c.change, c.kind))}</td>
<td>${html(formatChange(c.margin, c.kind))}</td><td>${c.pValue === undefined ? '–' : html(c.pValue < 0.0001 ? '<0.0001' : c.pValue.toFixed(4))}</td>
<td class="l">${verdict}${c.note ? `<div class="muted">${html(c.note)}</div>` : ''}</td></tr>`;
  });
  const warnings = (comparison.warnings ?? [])
    .map((w) => `<div class="banner warn comparison-warning">${html(w)}</div>`)
    .join('');
  return `<section id="comparison"><h2>Baseline comparison</h2>${warnings}
<p class="note">Baseline <b>${html(comparison.baselineLabel)}</b> → current <b>${html(comparison.currentLabel)}</b>. A regression is worse than its margin <i>and</i> statistically significant (one-sided test, α = 0.01), so noise does not fail a build.</p>
${banner}<div class="table-wrap"><table id="comparison-table"><thead><tr><th class="l">where</th><th class="l">metric</th><th>baseline</th><th>current</th><th>change</th><th>margin</th><th>p-value</th><th class="l">verdict</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></div></section>`;
}

export function formatCompared(v: number, kind: Comparison['checks'][number]['kind']): string {
  if (kind === 'duration') return formatMicros(v);
  if (kind === 'rate') return formatPercent(v);
  return `$${v.toPrecision(3)}`;
}

/** Relative changes as ±x%; rate changes as ±x pp. */
export function formatChange(change: number, kind: Comparison['checks'][number]['kind']): string {
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const abs = Math.abs(change) * 100;
  const digits = abs >= 10 ? 0 : abs >= 1 ? 1 : 2;
  return kind === 'rate' ? `${sign}${abs.toFixed(digits)} pp` : `${sign}${abs.toFixed(digits)}%`;
}
