/** Renders a RunPlan as the text `lambench run --dry-run` prints. */
import type { Phase } from '../load/types.js';
import type { RunPlan, SourcePlan, SweepDimension, SweepPoint } from './plan.js';
import type { Load } from './types.js';
import { formatDuration } from './units.js';

export function formatPlan(plan: RunPlan): string {
  const lines: string[] = [];
  lines.push(`Scenario ${plan.scenario} (${plan.file})`);
  lines.push(`  target ${plan.target}, seed ${plan.seed}`);
  lines.push('');
  lines.push(...sweepLines(plan));
  lines.push('');
  lines.push('Sources (each sweep point):');
  for (const source of plan.sources) lines.push(...sourceLines(source));
  if (plan.skipped.length > 0) {
    lines.push('');
    lines.push('Skipped template events:');
    for (const s of plan.skipped) lines.push(`  ${s.name} (${s.eventType}): ${s.reason}`);
  }
  lines.push('');
  lines.push(...totalLines(plan));
  if (plan.notes.length > 0) {
    lines.push('');
    lines.push('Notes:');
    for (const note of plan.notes) lines.push(`  ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

function sweepLines(plan: RunPlan): string[] {
  const settings = (point: SweepPoint | undefined) => {
    if (point === undefined) return '';
    const parts = Object.entries(point.memoryMB).map(([fn, mb]) => `${fn} ${mb} MB`);
    for (const [source, m] of Object.entries(point.mapping))
      parts.push(
        `${source} batch ${m.batchSize}, window ${formatDuration(m.batchingWindowMs)}, parallelization ${m.parallelizationFactor}`,
      );
    return parts.join(', ');
  };
  if (plan.dimensions.length === 0) {
    return [`One run (no sweep): ${settings(plan.points[0]) || 'no functions invoked'}`];
  }
  const lines = ['Sweep (points run one after another):'];
  for (const dim of plan.dimensions) lines.push(`  ${dim.field}: ${dimensionValues(dim)}`);
  for (const point of plan.points) lines.push(`  #${point.index + 1}  ${settings(point)}`);
  return lines;
}

function dimensionValues(dim: SweepDimension): string {
  if (dim.setting === 'memoryMB') return `${dim.values.join(', ')} MB`;
  if (dim.setting === 'batchingWindowMs') return dim.values.map(formatDuration).join(', ');
  return dim.values.join(', ');
}

function sourceLines(s: SourcePlan): string[] {
  const type = s.eventType ? ` ${s.eventType}` : '';
  const from = s.from ? ` [template ${s.from}]` : '';
  const expected = s.expectedEvents === undefined ? 'events depend on latency' : eventCount(s.expectedEvents);
  return [
    `  ${s.name}: ${s.kind}${type} → ${s.to.join(', ')} (${s.invocation})${from}`,
    `    ${describeLoad(s.load)}`,
    `    expected: ${expected} over ${formatDuration(s.durationMs)}`,
  ];
}

function describeLoad(load: Load): string {
  if (load.kind === 'closed') {
    const think = load.thinkTimeMs > 0 ? `, think ${formatDuration(load.thinkTimeMs)}` : '';
    return `closed model: ${load.concurrency} concurrent for ${formatDuration(load.durationMs)}${think}`;
  }
  const phases = load.phases.map((p, i) => {
    const name = load.phaseNames[i];
    return name ? `${name}: ${describePhase(p)}` : describePhase(p);
  });
  return `${load.distribution} arrivals: ${phases.join('; ')}`;
}

function describePhase(p: Phase): string {
  const d = formatDuration(p.durationMs);
  switch (p.kind) {
    case 'constant':
      return `${d} at ${p.rate}/s`;
    case 'ramp':
      return `${d} ramp ${p.from}→${p.to}/s`;
    case 'count':
      return `${count(p.count)} over ${d}`;
    case 'pause':
      return `pause ${d}`;
  }
}

function totalLines(plan: RunPlan): string[] {
  const { perPoint, total } = plan;
  const approx = total.exact ? '' : ' + closed-model events';
  const points = total.points === 1 ? '1 point' : `${total.points} points`;
  return [
    `Each point: ${formatDuration(perPoint.durationMs)} of arrivals, ${eventCount(perPoint.expectedEvents)}${approx}, then up to ${formatDuration(perPoint.graceMs)} grace`,
    `Total: ${points}, ${formatDuration(total.durationMs)} (at most ${formatDuration(total.maxDurationMs)} with grace), ${eventCount(total.expectedEvents)}${approx}`,
  ];
}

function eventCount(n: number): string {
  return n === 1 ? '1 event' : `${count(n)} events`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
