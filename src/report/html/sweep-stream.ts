/**
 * Sections drawn only when results.json carries them: the memory sweep's analysis (results.sweep:
 * recommendation, every setting with cost, significance and the Pareto front) and what the event
 * source mappings of pull sources did (series.stream: batches, IteratorAge, the record ledger).
 */
import { formatMicros, formatPercent } from '../../ci/format-value.js';
import type { Results, SeriesResults } from '../../metrics/results-schema.js';
import { figures } from '../rows.js';
import { type ChartSeries, type ChartSpec, colorAt } from './chart-data.js';
import { html } from './escape.js';

const us = (v: number | undefined) => (v === undefined ? '–' : html(formatMicros(v)));

export function sweepSection(results: Results): string {
  const sweep = results.sweep;
  if (!sweep) return '';
  const rec = sweep.recommendation;
  const banner = rec
    ? `<div class="banner ok" id="recommendation"><b>Recommendation: ${html(rec.memoryMB)} MB.</b> ${html(rec.summary)}</div>`
    : '<div class="banner warn">No recommendation: no setting met the constraints.</div>';
  const rows = sweep.settings.map((s) => {
    const cost = s.costs[0];
    const cmp = s.comparison;
    const test = cmp
      ? `${html(cmp.verdict)}${cmp.verdict === 'too-few-samples' ? '' : ` (p ${html(cmp.pValue < 0.0001 ? '<0.0001' : cmp.pValue.toFixed(4))})`}`
      : '–';
    return `<tr class="${s.memoryMB === rec?.memoryMB ? 'pass' : ''}"><td>${html(s.memoryMB)} MB</td><td>${cost ? `$${html(cost.perMillionUsd.toPrecision(3))}` : '–'}</td>
<td>${us(s.warm.p50)}</td><td>${us(s.warm.p90)}</td><td>${us(s.warm.p99)}</td><td>${html(formatPercent(s.coldRate))}</td><td>${us(s.initP50Us)}</td><td>${html(s.maxMemoryUsedMB)} MB</td>
<td class="l">${test}</td><td>${s.pareto ? 'yes' : ''}</td><td>${s.meetsConstraints ? 'yes' : '<span class="fail">no</span>'}</td><td class="l">${html(s.reason ?? s.verdict)}</td></tr>`;
  });
  return `<section id="sweep-analysis"><h2>Memory sweep: ${html(sweep.functionName)}</h2>
<p class="note">Strategy ${html(sweep.strategy)} on warm ${html(sweep.percentile)}; each setting tested against the fastest (Mann-Whitney U, α = ${html(sweep.alpha)}); prices ${html(sweep.prices.region)} ${html(sweep.prices.date)} (${html(sweep.prices.source)}).</p>
${banner}
<div class="table-wrap"><table id="sweep-table"><thead><tr><th>memory</th><th>cost / 1M</th><th>warm p50</th><th>warm p90</th><th>warm p99</th><th>cold rate</th><th>init p50</th><th>max used</th><th class="l">vs fastest</th><th>Pareto</th><th>meets constraints</th><th class="l">verdict</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></div>
${sweep.notes.length > 0 ? `<p class="note">${sweep.notes.map(html).join('<br>')}</p>` : ''}
</section>`;
}

/** Cost per 1M against the chosen percentile for every setting; the Pareto front joined. */
export function paretoChart(results: Results): ChartSpec | undefined {
  const sweep = results.sweep;
  if (!sweep) return undefined;
  const pick = sweep.percentile;
  const points = sweep.settings
    .filter((s) => s.costs[0] !== undefined && s.warm.count > 0)
    .map((s) => ({
      cost: s.costs[0]?.perMillionUsd ?? 0,
      ms: s.warm[pick] / 1000,
      pareto: s.pareto,
      memoryMB: s.memoryMB,
    }))
    .sort((a, b) => a.cost - b.cost);
  if (points.length < 2) return undefined;
  const series: ChartSeries[] = [
    {
      label: `warm ${pick} (every setting)`,
      values: points.map((p) => p.ms),
      axis: 0,
      style: 'points',
      color: colorAt(0),
    },
    {
      label: 'Pareto front',
      values: points.map((p) => (p.pareto ? p.ms : null)),
      axis: 0,
      style: 'line',
      color: colorAt(1),
    },
  ];
  return {
    id: 'sweep-pareto',
    title: `${sweep.functionName}: cost against latency`,
    note: `Each memory setting (${points.map((p) => `${p.memoryMB} MB`).join(', ')}) as cost per 1M invocations against warm ${pick}; the line joins the settings no other beats on both.`,
    x: points.map((p) => p.cost),
    xUnit: 'usd',
    xLabel: 'cost per 1M invocations ($)',
    yUnits: ['ms'],
    yLabels: [`warm ${pick} (ms)`],
    series,
  };
}

interface StreamRow {
  label: string;
  series: SeriesResults;
}

function streamRows(results: Results): StreamRow[] {
  const rows: StreamRow[] = [];
  for (const point of results.points)
    for (const s of point.series)
      if (s.stream)
        rows.push({
          label: `${point.label ? `${point.label} ` : ''}${s.key.source} → ${s.key.functionName} ${s.key.memoryMB} MB`,
          series: s,
        });
  return rows;
}

export function streamSection(results: Results): string {
  const rows = streamRows(results);
  if (rows.length === 0) return '';
  const body = rows.map(({ label, series }) => {
    const st = series.stream;
    if (!st) return '';
    let records = 0;
    let batches = 0;
    for (const [size, n] of Object.entries(st.batchSizes)) {
      records += Number(size) * n;
      batches += n;
    }
    const age = st.iteratorAgeUs ? figures([st.iteratorAgeUs]) : undefined;
    const r = st.records;
    return `<tr><td class="l">${html(label)}</td><td class="l">${html(st.kind)}</td><td>${html(st.settings.batchSize)}</td><td>${html(st.batches)}</td><td>${batches > 0 ? html((records / batches).toFixed(1)) : '–'}</td>
<td>${us(age?.p50)}</td><td>${us(age?.p99)}</td><td>${us(age?.max)}</td><td>${html(r.put)}</td><td>${html(r.processed)}</td><td>${html(r.sentToDestination + r.discarded)}</td><td>${html(r.expired)}</td><td>${html(r.inStream)}</td><td>${html(st.recordsRetried)}</td><td>${html(st.bisections)}</td><td class="${r.balanced ? 'pass' : 'fail'}">${r.balanced ? 'yes' : 'NO'}</td></tr>`;
  });
  return `<section id="streams"><h2>Event source mappings</h2>
<p class="note">Pull sources: batches the mapping delivered, IteratorAge (age of a batch's last record when its invocation finished) and where every record put ended.</p>
<div class="table-wrap"><table id="stream-table"><thead><tr><th class="l">source → function</th><th class="l">kind</th><th>batch size</th><th>batches</th><th>mean batch</th><th>IteratorAge p50</th><th>p99</th><th>max</th><th>records put</th><th>processed</th><th>discarded / DLQ</th><th>expired</th><th>in stream</th><th>retried</th><th>bisections</th><th>balanced</th></tr></thead><tbody>${body.join('\n')}</tbody></table></div></section>`;
}

/** Highest IteratorAge per second, one line per pull-source series. */
export function iteratorAgeChart(results: Results): ChartSpec | undefined {
  const rows = streamRows(results).filter((r) => (r.series.stream?.perSecond.length ?? 0) > 0);
  if (rows.length === 0) return undefined;
  const last = Math.max(...rows.flatMap((r) => r.series.stream?.perSecond.map((p) => p.second) ?? [0]));
  const x = Array.from({ length: last + 1 }, (_, i) => i);
  return {
    id: 'stream-age',
    title: 'IteratorAge over time',
    note: 'Highest IteratorAge of the batches that ended in each second: a rising line means the function falls behind the stream.',
    x,
    xUnit: 's',
    xLabel: 'seconds since the point started',
    yUnits: ['ms'],
    yLabels: ['IteratorAge (ms)'],
    series: rows.map((r, i) => {
      const bySecond = new Map((r.series.stream?.perSecond ?? []).map((p) => [p.second, p.maxIteratorAgeMs]));
      return {
        label: r.label,
        values: x.map((s) => bySecond.get(s) ?? null),
        axis: 0 as const,
        style: 'line' as const,
        color: colorAt(i),
      };
    }),
  };
}
