/**
 * One time slice of a load profile (pure): slice k of n covers [k·T/n, (k+1)·T/n) of the profile's
 * length T, phases cut at the window's edges — a ramp keeps its rates at the cut, a count phase
 * keeps the arrivals that fall inside. An interleaved sweep runs slice 1 of every setting, then
 * slice 2, …, so each setting sees the whole profile and drift of the machine is shared out.
 */
import type { Phase } from './types.js';

/** The phases of slice `index` (0-based) of `of` equal time slices. */
export function slicePhases(phases: readonly Phase[], index: number, of: number): Phase[] {
  if (of <= 1) return [...phases];
  const total = phases.reduce((sum, p) => sum + p.durationMs, 0);
  const from = (total * index) / of;
  const to = (total * (index + 1)) / of;
  const out: Phase[] = [];
  let start = 0;
  for (const phase of phases) {
    const end = start + phase.durationMs;
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (b > a) out.push(cut(phase, a - start, b - start));
    start = end;
  }
  return out;
}

/** The part [a, b) of a phase, in ms from the phase's start. */
function cut(phase: Phase, a: number, b: number): Phase {
  const durationMs = b - a;
  switch (phase.kind) {
    case 'constant':
      return { kind: 'constant', durationMs, rate: phase.rate };
    case 'ramp': {
      const at = (t: number) => phase.from + ((phase.to - phase.from) * t) / phase.durationMs;
      return { kind: 'ramp', durationMs, from: at(a), to: at(b) };
    }
    case 'count': {
      // Rounded cumulative counts at both edges: consecutive slices add up to the phase's count.
      const upTo = (t: number) => Math.round((phase.count * t) / phase.durationMs);
      return { kind: 'count', durationMs, count: upTo(b) - upTo(a) };
    }
    case 'pause':
      return { kind: 'pause', durationMs };
  }
}
