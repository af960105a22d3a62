/**
 * The self-contained HTML report: one file with uPlot, the page's script and the data inlined, a
 * Content-Security-Policy that allows exactly those two scripts (by hash) and the two stylesheets,
 * and nothing that reaches the network. Pure: results in, text out.
 */
import { createHash } from 'node:crypto';
import type { Comparison } from '../../ci/compare-types.js';
import type { ThresholdOutcome } from '../../ci/thresholds.js';
import { LambenchError } from '../../core/errors.js';
import type { Results } from '../../metrics/results-schema.js';
import { type ReportRow, reportRows } from '../rows.js';
import { reportAssets } from './assets.js';
import {
  type ChartSpec,
  concurrencyChart,
  type DistributionInput,
  harnessChart,
  percentileChart,
  sweepCharts,
  timeChart,
} from './chart-data.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { html, jsonForScript } from './escape.js';
import {
  comparisonSection,
  functionsTable,
  headerSection,
  ledgerSection,
  scenarioSection,
  thresholdsSection,
  warningsSection,
} from './sections.js';
import { REPORT_CSS } from './styles.js';
import { iteratorAgeChart, paretoChart, streamSection, sweepSection } from './sweep-stream.js';

export interface HtmlReportInput {
  results: Results;
  thresholds: readonly ThresholdOutcome[];
  /** Earlier runs to draw next to this one (dashed); the first is the baseline of `comparison`. */
  baselines?: readonly { label: string; results: Results }[];
  comparison?: Comparison;
}

/** Renders the whole report page. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { results } = input;
  const rows = reportRows(results);
  const withPoint = new Set(rows.map((r) => `${r.functionName}\u0000${r.memoryMB}`)).size !== rows.length;
  const charts = buildCharts(results, rows, withPoint, input.baselines ?? []);
  const assets = reportAssets();
  if (/<\/script/i.test(assets.uplotJs))
    throw new LambenchError('REPORT_ASSETS', 'uplot script contains "</script"; cannot inline it');
  const scriptHashes = [assets.uplotJs, CLIENT_SCRIPT].map(sha256);
  const styleHashes = [assets.uplotCss, REPORT_CSS].map(sha256);
  const csp = [
    "default-src 'none'",
    `script-src ${scriptHashes.map((h) => `'${h}'`).join(' ')}`,
    `style-src ${styleHashes.map((h) => `'${h}'`).join(' ')}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `lambench report: ${results.run.scenarioName}`;
  const chartHtml = chartSections(charts, results, rows, withPoint);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${html(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${html(title)}</title>
<style>${assets.uplotCss}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${headerSection(results, title)}
${warningsSection(results)}
${thresholdsSection(input.thresholds)}
${input.comparison ? comparisonSection(input.comparison) : ''}
${sweepSection(results)}
${functionsTable(rows, withPoint)}
${streamSection(results)}
${chartHtml}
${ledgerSection(results)}
${scenarioSection(results)}
<footer>Written by lambench ${html(results.run.lambenchVersion)} from results.json (schema version ${results.schemaVersion}). Charts: uPlot.</footer>
</main>
<script type="application/json" id="lambench-data">${jsonForScript({ charts })}</script>
<script>${assets.uplotJs}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

const rowLabel = (r: ReportRow, withPoint: boolean) =>
  `${withPoint && r.point ? `${r.point} ` : ''}${r.functionName} ${r.memoryMB} MB`;

function buildCharts(
  results: Results,
  rows: readonly ReportRow[],
  withPoint: boolean,
  baselines: readonly { label: string; results: Results }[],
): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const inputs: DistributionInput[] = [];
  rows.forEach((row, i) => {
    inputs.push({ label: rowLabel(row, withPoint), series: row.series, colorIndex: i });
    for (const base of baselines) {
      const match = reportRows(base.results).find(
        (b) => b.point === row.point && b.functionName === row.functionName && b.memoryMB === row.memoryMB,
      );
      if (match)
        inputs.push({
          label: `${rowLabel(row, withPoint)} (${base.label})`,
          series: match.series,
          dash: true,
          colorIndex: i,
        });
    }
  });
  for (const side of ['warm', 'cold'] as const) {
    const chart = percentileChart(`dist-${side}`, side, inputs);
    if (chart) charts.push(chart);
  }
  rows.forEach((row, i) => {
    const chart = timeChart(
      `time-${i}`,
      row,
      `${rowLabel(row, withPoint)}: latency and throughput over time`,
    );
    if (chart) charts.push(chart);
  });
  results.points.forEach((point, p) => {
    const pointRows = rows.filter((r) => r.pointIndex === p);
    const chart = concurrencyChart(
      `concurrency-${p}`,
      pointRows,
      `Concurrency over time${point.label ? `: ${point.label}` : ''}`,
    );
    if (chart) charts.push(chart);
  });
  charts.push(...sweepCharts(rows));
  const pareto = paretoChart(results);
  if (pareto) charts.push(pareto);
  const age = iteratorAgeChart(results);
  if (age) charts.push(age);
  const harness = harnessChart(results);
  if (harness) charts.push(harness);
  return charts;
}

function chartSections(
  charts: readonly ChartSpec[],
  _results: Results,
  _rows: readonly ReportRow[],
  _withPoint: boolean,
): string {
  const holder = (c: ChartSpec) =>
    `<div class="chart-box"><h3>${html(c.title)}</h3>${c.note ? `<p class="note">${html(c.note)}</p>` : ''}<div class="chart" id="chart-${html(c.id)}" data-chart="${html(c.id)}"></div></div>`;
  const group = (title: string, id: string, pick: (c: ChartSpec) => boolean, twoColumns = false) => {
    const list = charts.filter(pick);
    if (list.length === 0) return '';
    return `<section id="${id}"><h2>${html(title)}</h2><div class="${twoColumns ? 'charts-2' : ''}">${list.map(holder).join('\n')}</div></section>`;
  };
  return [
    group('Latency distribution', 'distribution', (c) => c.id.startsWith('dist-'), true),
    group('Memory sweep', 'sweep', (c) => c.id.startsWith('sweep-'), true),
    group('Over time', 'over-time', (c) => c.id.startsWith('time-'), true),
    group('Concurrency', 'concurrency', (c) => c.id.startsWith('concurrency-'), true),
    group('Streams', 'stream-charts', (c) => c.id.startsWith('stream-')),
    group('Harness', 'harness', (c) => c.id === 'harness'),
  ].join('\n');
}
