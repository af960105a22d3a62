/**
 * Live progress while a run is going. On a terminal: a small block redrawn in place, erased by
 * stop() so the summary starts on a clean screen. Elsewhere (CI logs): one plain line every few
 * seconds, nothing redrawn.
 */
import { type Clock, systemClock } from '../core/clock.js';
import type { Snapshot } from '../metrics/types.js';

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { columns?: number };
  isTTY: boolean;
  /** Redraw interval on a terminal; default 250 ms. */
  intervalMs?: number;
  /** Line interval when not a terminal; default 5 s. */
  plainIntervalMs?: number;
  /** The figures to show; undefined while there is nothing to show yet (before the first point). */
  snapshot: () => Snapshot | undefined;
  /** Planned run length, for elapsed/total; 0 or absent when open-ended. */
  totalMs?: number;
  clock?: Clock;
}

export interface Progress {
  /** Draws now (a redraw on a terminal, a line otherwise). */
  render(): void;
  /**
   * Prints a message line without corrupting the live block: on a terminal the block is erased,
   * the line written, the block redrawn below it. Use it instead of writing to the stream.
   */
  println(line: string): void;
  /** Stops the timer; on a terminal erases the block and restores the cursor. Idempotent. */
  stop(): void;
}

const CSI = '\x1b[';

export function createProgress(options: ProgressOptions): Progress {
  const { stream, isTTY, snapshot } = options;
  const clock = options.clock ?? systemClock;
  const interval = isTTY ? (options.intervalMs ?? 250) : (options.plainIntervalMs ?? 5000);
  const totalMs = options.totalMs ?? 0;
  let drawnLines = 0;
  let cancel: (() => void) | undefined;
  let stopped = false;

  const render = (): void => {
    if (stopped) return;
    const snap = snapshot();
    if (!isTTY) {
      if (snap) stream.write(`${plainLine(snap, totalMs)}\n`);
      return;
    }
    const width = Math.max(20, (stream.columns ?? 120) - 1);
    const lines = (snap ? liveLines(snap, totalMs) : ['starting...']).map((l) =>
      l.length > width ? l.slice(0, width) : l,
    );
    stream.write(`${erase(drawnLines)}${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };

  const schedule = (): void => {
    cancel = clock.setTimer(interval, () => {
      render();
      if (!stopped) schedule();
    });
  };

  if (isTTY) stream.write(`${CSI}?25l`); // hide the cursor while redrawing
  render();
  schedule();

  return {
    render,
    println(line) {
      if (!isTTY || stopped) {
        stream.write(`${line}\n`);
        return;
      }
      stream.write(`${erase(drawnLines)}${line}\n`);
      drawnLines = 0;
      render();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      cancel?.();
      if (isTTY) {
        stream.write(`${erase(drawnLines)}${CSI}?25h`);
        drawnLines = 0;
      }
    },
  };
}

/** Moves up over the previous block and clears from there to the end of the screen. */
function erase(lines: number): string {
  return lines > 0 ? `\r${CSI}${lines}A${CSI}0J` : `\r${CSI}0J`;
}

function liveLines(s: Snapshot, totalMs: number): string[] {
  const first = [
    `${bar(s.elapsedMs, totalMs)} ${elapsed(s.elapsedMs, totalMs)}`,
    `${s.arrivalsPerSecond}/s`,
    `in flight ${s.inFlight}`,
    `p50 ${ms(s.p50Ms)}`,
    `p99 ${ms(s.p99Ms)}`,
  ].join('  ');
  const second = [
    `invocations ${s.invocations}`,
    `cold ${s.coldStarts}`,
    `errors ${s.errors}${bySource(s.errorsBySource)}`,
    `throttled ${s.throttles}`,
    `dropped ${s.dropped}`,
  ].join('  ');
  return [first, second];
}

function plainLine(s: Snapshot, totalMs: number): string {
  return [
    `progress ${elapsed(s.elapsedMs, totalMs)}`,
    `arrivals ${s.arrivals} (${s.arrivalsPerSecond}/s)`,
    `in-flight ${s.inFlight}`,
    `p50 ${ms(s.p50Ms)}`,
    `p99 ${ms(s.p99Ms)}`,
    `cold ${s.coldStarts}`,
    `errors ${s.errors}${bySource(s.errorsBySource)}`,
    `throttled ${s.throttles}`,
    `dropped ${s.dropped}`,
  ].join(' | ');
}

function bar(elapsedMs: number, totalMs: number): string {
  const width = 20;
  if (totalMs <= 0) return '[running]';
  const filled = Math.min(width, Math.round((elapsedMs / totalMs) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function elapsed(elapsedMs: number, totalMs: number): string {
  const e = `${(elapsedMs / 1000).toFixed(1)}s`;
  return totalMs > 0 ? `${e}/${(totalMs / 1000).toFixed(1)}s` : e;
}

function ms(value: number | null): string {
  if (value === null) return '-';
  return value < 100 ? `${value.toFixed(1)}ms` : `${Math.round(value)}ms`;
}

function bySource(errors: Record<string, number>): string {
  const parts = Object.entries(errors)
    .filter(([, n]) => n > 0)
    .map(([source, n]) => `${source} ${n}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
