/**
 * The sweep table printed after `lambench sweep` (pure): one row per memory setting — warm
 * percentiles, cold-start rate, INIT p50, memory used against the setting, cost per million,
 * verdict — then the recommendation line and the notes.
 */
import type { SweepResults } from '../metrics/sweep-schema.js';

/** The table and recommendation, as text lines without colour. */
export function formatSweepTable(sweep: SweepResults): string {
  const archs = sweep.architectures;
  const header = [
    'memory',
    'warm p50',
    'p90',
    'p99',
    'cold',
    'init p50',
    'mem used',
    ...archs.map((a) => (archs.length > 1 ? `$/1M ${a}` : '$ per 1M')),
    sweep.repeat > 1 ? `${sweep.percentile} repeats` : undefined,
    'verdict',
  ].filter((h): h is string => h !== undefined);
  const rows = sweep.settings.map((s) => {
    const failed = s.failed && s.warm.count === 0;
    const cells = [
      `${s.memoryMB} MB${s.pareto ? ' *' : ''}`,
      failed ? '—' : ms(s.warm.p50),
      failed ? '—' : ms(s.warm.p90),
      failed ? '—' : ms(s.warm.p99),
      `${(s.coldRate * 100).toFixed(s.coldRate > 0 && s.coldRate < 0.1 ? 1 : 0)}%`,
      s.initP50Us === undefined ? '—' : ms(s.initP50Us),
      `${s.maxMemoryUsedMB}/${s.memoryMB} MB`,
      ...archs.map((a) => {
        const c = s.costs.find((x) => x.architecture === a);
        return c && s.invocations > 0 ? `$${c.perMillionUsd.toFixed(4)}` : '—';
      }),
    ];
    if (sweep.repeat > 1)
      cells.push(s.repeats.length > 0 ? `${ms(Math.min(...s.repeats))}–${ms(Math.max(...s.repeats))}` : '—');
    cells.push(s.verdict);
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const out = [
    `Memory sweep of ${sweep.functionName}: warm duration, ${sweep.order} order${sweep.repeat > 1 ? `, ${sweep.repeat} repeats` : ''}${sweep.coldStarts > 0 ? `, ${sweep.coldStarts} forced cold starts per setting` : ''}`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `* Pareto front of cost against warm ${sweep.percentile}. Prices: ${sweep.prices.region}, ${sweep.prices.currency}, ${sweep.prices.date}.`,
  ];
  out.push(
    sweep.recommendation
      ? sweep.recommendation.summary
      : 'No recommendation: no setting ran without failing and within the constraints.',
  );
  for (const note of sweep.notes) out.push(`Note: ${note}`);
  return `${out.join('\n')}\n`;
}

function ms(us: number): string {
  const v = us / 1000;
  return v >= 100 ? `${Math.round(v)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;
}
