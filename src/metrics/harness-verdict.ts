/**
 * The harness verdict: did lambench itself keep up? It joins everything that shows the harness
 * falling behind — stalls (it did not run at all), saturated samples (event-loop delay or CPU) and
 * schedule lag (arrivals fired late) — and names the seconds of each point whose latencies may
 * include harness delay, so a slow harness is never read as a slow function.
 */
import type {
  HarnessSampleResults,
  HarnessStallResults,
  HarnessVerdict,
  PointResults,
} from './results-schema.js';

/** One point as the verdict needs it: its results and when it ran. */
export interface PointTiming {
  results: PointResults;
  /** Wall-clock epoch ms at the point's second 0 (the recorder's start). */
  startEpochMs: number;
  /**
   * When its calls had settled; the span judged ends here (closing the recorder measures nothing).
   * Default: start + results.durationMs.
   */
  endEpochMs?: number;
  /** Arrivals fired late, by the point second they fired in. */
  lateBySecond: ReadonlyMap<number, number>;
}

export interface VerdictInput {
  samples: readonly HarnessSampleResults[];
  stalls: ReadonlyArray<{ atEpochMs: number; durationMs: number }>;
  points: readonly PointTiming[];
  stallThresholdMs: number;
  lateToleranceMs: number;
  /** Late arrivals above this fraction make the run not clean. */
  lateLimitFraction: number;
}

/**
 * Delayed completions land just after a stall ends; the seconds marked run this much past it, so
 * the second the backlog drained in is marked too.
 */
const SPILL_MS = 50;

/** The verdict over the whole run (pure: reads its input, changes nothing). */
export function harnessVerdict(input: VerdictInput): HarnessVerdict {
  const affected = new Map<number, Set<number>>();
  const mark = (point: number, second: number): void => {
    const set = affected.get(point) ?? new Set<number>();
    set.add(second);
    affected.set(point, set);
  };
  const spans = input.points.map((p) => ({
    start: p.startEpochMs,
    end: p.endEpochMs ?? p.startEpochMs + p.results.durationMs,
  }));
  /** Marks every point second that [from, to] overlaps; true if it overlapped any point. */
  const markRange = (from: number, to: number): boolean => {
    let hit = false;
    spans.forEach((span, point) => {
      const a = Math.max(from, span.start);
      const b = Math.min(to, span.end);
      if (a >= b) return;
      hit = true;
      const last = Math.floor((b - span.start) / 1000);
      for (let s = Math.floor((a - span.start) / 1000); s <= last; s++) mark(point, s);
    });
    return hit;
  };

  const stalls: HarnessStallResults[] = [];
  let stallsInPoints = 0;
  for (const stall of input.stalls) {
    const out: HarnessStallResults = { atEpochMs: stall.atEpochMs, durationMs: stall.durationMs };
    const at = spans.findIndex(
      (s) => stall.atEpochMs + stall.durationMs >= s.start && stall.atEpochMs <= s.end,
    );
    const span = spans[at];
    if (span) {
      out.point = at;
      out.second = Math.max(0, Math.floor((stall.atEpochMs - span.start) / 1000));
    }
    if (markRange(stall.atEpochMs, stall.atEpochMs + stall.durationMs + SPILL_MS)) stallsInPoints++;
    stalls.push(out);
  }

  // A sample stretched only by a stall is covered, more precisely, by the stall itself.
  const saturated = input.samples.filter(
    (s) => s.saturated && (s.stalledMs === undefined || !/^harness stalled[^;]*$/.test(s.reason ?? '')),
  );
  let saturatedSamples = 0;
  for (const s of saturated) if (markRange(s.atEpochMs - s.intervalMs, s.atEpochMs)) saturatedSamples++;

  let lateCount = 0;
  let scheduled = 0;
  let maxLagMs = 0;
  input.points.forEach((p) => {
    const scheduler = p.results.scheduler;
    if (scheduler) {
      lateCount += scheduler.lateOver10Ms;
      scheduled += scheduler.scheduled;
      maxLagMs = Math.max(maxLagMs, scheduler.maxLagMs);
    }
  });
  const fraction = scheduled > 0 ? lateCount / scheduled : 0;
  // Seconds are marked for lateness only when the run's lateness is over the limit: a few late
  // arrivals the verdict calls clean must not mark a second (one late of a second's 50 is 2%).
  if (fraction > input.lateLimitFraction) {
    input.points.forEach((p, point) => {
      const arrivals = arrivalsBySecond(p.results);
      for (const [second, late] of p.lateBySecond) {
        if (late > input.lateLimitFraction * (arrivals.get(second) ?? 0)) mark(point, second);
      }
    });
  }

  const reasons: string[] = [];
  if (stallsInPoints > 0) {
    const longest = Math.max(...stalls.map((s) => s.durationMs));
    reasons.push(
      `harness stalled ${stallsInPoints === 1 ? 'once' : `${stallsInPoints} times`} (did not run for ${formatMs(longest)}${stallsInPoints > 1 ? ' at the longest' : ''})`,
    );
  }
  if (saturatedSamples > 0) {
    const why = [...new Set(saturated.map((s) => s.reason).filter((r) => !!r))].slice(0, 2).join('; ');
    reasons.push(`harness saturated in ${saturatedSamples} of ${input.samples.length} samples (${why})`);
  }
  if (fraction > input.lateLimitFraction) {
    reasons.push(
      `${lateCount} arrivals (${percent(fraction)}) fired more than ${input.lateToleranceMs} ms late, up to ${formatMs(maxLagMs)}`,
    );
  }

  const affectedSeconds = [...affected]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([point, seconds]) => [...seconds].sort((a, b) => a - b).map((second) => ({ point, second })));
  return {
    clean: reasons.length === 0,
    reasons,
    stalls,
    stallThresholdMs: input.stallThresholdMs,
    lateArrivals: {
      count: lateCount,
      scheduled,
      fraction,
      toleranceMs: input.lateToleranceMs,
      limitFraction: input.lateLimitFraction,
      maxLagMs,
    },
    saturatedSamples,
    affectedSeconds,
    affectedKeys: affectedKeys(input.points, affected),
  };
}

/** Sets `harnessDelayed` on every per-second row of an affected second (in place). */
export function markDelayedSeconds(points: readonly PointResults[], verdict: HarnessVerdict): void {
  for (const { point, second } of verdict.affectedSeconds) {
    for (const series of points[point]?.series ?? []) {
      const row = series.perSecond.find((r) => r.second === second);
      if (row) row.harnessDelayed = true;
    }
  }
}

/** "3-5, 8" from [3, 4, 5, 8]. */
export function formatSeconds(seconds: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < seconds.length) {
    let j = i;
    while (j + 1 < seconds.length && (seconds[j + 1] as number) === (seconds[j] as number) + 1) j++;
    parts.push(j === i ? String(seconds[i]) : `${seconds[i]}-${seconds[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function arrivalsBySecond(point: PointResults): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of point.series) {
    for (const row of s.perSecond) out.set(row.second, (out.get(row.second) ?? 0) + row.arrivals);
  }
  return out;
}

function affectedKeys(
  points: readonly PointTiming[],
  affected: ReadonlyMap<number, ReadonlySet<number>>,
): HarnessVerdict['affectedKeys'] {
  const out: HarnessVerdict['affectedKeys'] = [];
  for (const [point, seconds] of affected) {
    for (const series of points[point]?.results.series ?? []) {
      const hit = series.perSecond.some(
        (r) => seconds.has(r.second) && (r.arrivals > 0 || r.attempts > 0 || r.outcomes > 0),
      );
      if (hit) out.push({ point, key: series.key });
    }
  }
  return out.sort((a, b) => a.point - b.point);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.001 ? 2 : 1)}%`;
}
