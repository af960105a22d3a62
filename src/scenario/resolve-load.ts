/** A validated `load` value → the load engine's phases, or the closed model, durations in ms. */
import type { Phase } from '../load/types.js';
import type { RawLoad, RawPhase } from './schema.js';
import type { Distribution, Load } from './types.js';
import { parseDuration } from './units.js';

export function resolveLoad(raw: RawLoad, distribution: Distribution): Load {
  if (!Array.isArray(raw)) {
    return {
      kind: 'closed',
      concurrency: raw.concurrency,
      durationMs: ms(raw.duration),
      thinkTimeMs: ms(raw.thinkTime ?? '0ms'),
    };
  }
  return {
    kind: 'open',
    phases: raw.map(resolvePhase),
    phaseNames: raw.map((p) => p.name),
    distribution,
  };
}

/** The schema has already checked that exactly one of Artillery's phase shapes is present. */
function resolvePhase(p: RawPhase): Phase {
  if (p.pause !== undefined) return { kind: 'pause', durationMs: ms(p.pause) };
  const durationMs = ms(p.duration ?? '0ms');
  if (p.arrivalCount !== undefined) return { kind: 'count', durationMs, count: p.arrivalCount };
  const rate = p.arrivalRate ?? 0;
  if (p.rampTo !== undefined) return { kind: 'ramp', durationMs, from: rate, to: p.rampTo };
  return { kind: 'constant', durationMs, rate };
}

function ms(text: string): number {
  return parseDuration(text) ?? Number.NaN;
}

/**
 * `--duration-scale F`: phase durations, pauses and the closed model's duration are multiplied
 * by F; arrival counts stay (so a count phase gets denser), rates stay (so fewer events).
 */
export function scaleLoad(load: Load, factor: number): Load {
  if (load.kind === 'closed') return { ...load, durationMs: scaleMs(load.durationMs, factor) };
  return { ...load, phases: load.phases.map((p) => ({ ...p, durationMs: scaleMs(p.durationMs, factor) })) };
}

/** Whole milliseconds keep plans readable; a non-zero duration never scales down to zero. */
function scaleMs(durationMs: number, factor: number): number {
  if (durationMs === 0) return 0;
  return Math.max(1, Math.round(durationMs * factor));
}
