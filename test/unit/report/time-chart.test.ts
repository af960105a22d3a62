/**
 * The per-second chart of a report row: arrivals fired late are plotted in the second they fired,
 * summed over the row's sources, and only when some were; a clean run's chart has no such series.
 */
import { describe, expect, it } from 'vitest';
import { timeChart } from '../../../src/report/html/chart-data.js';
import { reportRows } from '../../../src/report/rows.js';
import { samplePoint, sampleResults } from '../metrics/helpers.js';

function rowWithLate(late: Record<number, number>) {
  const results = sampleResults([samplePoint(1024)]);
  const series = results.points[0]?.series[0];
  if (!series || series.perSecond.length < 2) throw new Error('sample point has too few seconds');
  for (const second of series.perSecond) {
    const n = late[second.second];
    if (n !== undefined) second.late = n;
  }
  const row = reportRows(results)[0];
  if (!row) throw new Error('no row');
  return { row, seconds: series.perSecond.map((s) => s.second) };
}

describe('timeChart', () => {
  it('plots arrivals fired late in the second they fired, and says what they are', () => {
    const { row, seconds } = rowWithLate({ 1: 7 });
    const chart = timeChart('t', row, 'title');
    const late = chart?.series.find((s) => s.label === 'fired > 10 ms late');
    expect(late?.axis).toBe(1);
    expect(late?.values[1]).toBe(7);
    for (const s of seconds.filter((x) => x !== 1)) expect(late?.values[s]).toBeNull();
    expect(chart?.note).toMatch(/more than 10 ms after their time/);
  });

  it('has no late series when nothing fired late', () => {
    const { row } = rowWithLate({});
    const chart = timeChart('t', row, 'title');
    expect(chart?.series.map((s) => s.label)).not.toContain('fired > 10 ms late');
    expect(chart?.note).not.toMatch(/late/);
  });
});
