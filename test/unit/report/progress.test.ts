import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/metrics/types.js';
import { createProgress } from '../../../src/report/progress.js';
import { FakeClock } from '../load/fake-clock.js';

/** A writable stream that keeps what was written. */
function fakeStream(columns?: number) {
  const chunks: string[] = [];
  return {
    chunks,
    text: () => chunks.join(''),
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    ...(columns ? { columns } : {}),
  } as unknown as NodeJS.WritableStream & { chunks: string[]; text: () => string; columns?: number };
}

const snap = (clock: FakeClock, over: Partial<Snapshot> = {}): Snapshot => ({
  elapsedMs: clock.now(),
  arrivals: 1200,
  arrivalsPerSecond: 100,
  inFlight: 7,
  p50Ms: 23.14,
  p99Ms: 180.4,
  invocations: 1190,
  coldStarts: 3,
  errors: 2,
  throttles: 1,
  dropped: 0,
  errorsBySource: { s3: 2 },
  ...over,
});

/** Applies the escape sequences progress uses to a screen of lines, like a terminal would. */
function screen(output: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  const ESC = String.fromCharCode(27);
  for (let i = 0; i < output.length; i++) {
    const ch = output[i];
    if (ch === ESC) {
      const m = /^\[(\??)(\d*)([A-Za-z])/.exec(output.slice(i + 1));
      if (!m) throw new Error('unknown escape');
      i += m[0].length;
      if (m[3] === 'A') row = Math.max(0, row - Number(m[2] || 1));
      if (m[3] === 'J') {
        lines.splice(row + 1);
        lines[row] = '';
      }
      continue;
    }
    if (ch === '\r') continue; // progress only uses \r at column starts
    if (ch === '\n') {
      row++;
      lines[row] ??= '';
      continue;
    }
    lines[row] = (lines[row] ?? '') + ch;
  }
  return lines.filter((l, i) => l !== '' || i < row);
}

describe('createProgress', () => {
  it('redraws a block in place on a terminal and leaves it clean on stop', async () => {
    const clock = new FakeClock();
    const stream = fakeStream(100);
    let errors = 2;
    const progress = createProgress({
      stream,
      isTTY: true,
      intervalMs: 250,
      snapshot: () => snap(clock, { errors, errorsBySource: { s3: errors } }),
      totalMs: 10_000,
      clock,
    });
    await clock.advance(1000);
    errors = 5;
    await clock.advance(250);
    const shown = screen(stream.text());
    expect(shown).toHaveLength(2); // redrawn, not appended
    expect(shown[0]).toMatch(
      /^\[###-+\] 1\.3s\/10\.0s {2}100\/s {2}in flight 7 {2}p50 23\.1ms {2}p99 180ms$/,
    );
    expect(shown[1]).toMatch(/errors 5 \(s3 5\)/);
    expect(stream.chunks.length).toBeGreaterThanOrEqual(6); // initial draw + 5 ticks
    progress.stop();
    expect(screen(stream.text())).toEqual([]);
    expect(stream.text().endsWith('\x1b[?25h')).toBe(true); // cursor shown again
    const written = stream.chunks.length;
    await clock.advance(5000);
    expect(stream.chunks.length).toBe(written); // no redraw after stop
    progress.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('prints a message above the live block without corrupting it', () => {
    const clock = new FakeClock();
    const stream = fakeStream(120);
    const progress = createProgress({
      stream,
      isTTY: true,
      snapshot: () => snap(clock),
      totalMs: 1000,
      clock,
    });
    progress.println('SIGINT: stopping arrivals');
    const shown = screen(stream.text());
    expect(shown).toHaveLength(3);
    expect(shown[0]).toBe('SIGINT: stopping arrivals');
    expect(shown[1]).toMatch(/^\[-+\] 0\.0s\/1\.0s/);
    progress.stop();
    expect(screen(stream.text())).toEqual(['SIGINT: stopping arrivals']);
    progress.println('after stop');
    expect(screen(stream.text())).toEqual(['SIGINT: stopping arrivals', 'after stop']);
  });

  it('keeps lines within the terminal width so redraws never wrap', () => {
    const clock = new FakeClock();
    const stream = fakeStream(40);
    const progress = createProgress({ stream, isTTY: true, snapshot: () => snap(clock), totalMs: 0, clock });
    for (const line of screen(stream.text())) expect(line.length).toBeLessThanOrEqual(39);
    expect(screen(stream.text())[0]).toMatch(/^\[running\]/);
    progress.stop();
  });

  it('shows "starting..." until there is a snapshot, and skips plain lines until then', async () => {
    const clock = new FakeClock();
    const tty = fakeStream(80);
    let ready = false;
    const live = createProgress({
      stream: tty,
      isTTY: true,
      snapshot: () => (ready ? snap(clock) : undefined),
      clock,
    });
    expect(screen(tty.text())).toEqual(['starting...']);
    ready = true;
    await clock.advance(250);
    expect(screen(tty.text())[0]).toMatch(/^\[running\] 0\.3s/);
    live.stop();
    const plain = fakeStream();
    ready = false;
    const log = createProgress({
      stream: plain,
      isTTY: false,
      snapshot: () => (ready ? snap(clock) : undefined),
      clock,
    });
    await clock.advance(5000);
    expect(plain.text()).toBe('');
    ready = true;
    await clock.advance(5000);
    expect(
      plain
        .text()
        .split('\n')
        .filter((l) => l),
    ).toHaveLength(1);
    log.stop();
  });

  it('prints one plain line every few seconds when not a terminal', async () => {
    const clock = new FakeClock();
    const stream = fakeStream();
    const progress = createProgress({
      stream,
      isTTY: false,
      snapshot: () => snap(clock, { p50Ms: null, p99Ms: null, errorsBySource: {}, errors: 0 }),
      totalMs: 60_000,
      clock,
    });
    await clock.advance(12_000);
    progress.stop();
    const lines = stream
      .text()
      .split('\n')
      .filter((l) => l);
    expect(lines).toHaveLength(3); // at 0, 5 and 10 s
    expect(lines[2]).toBe(
      'progress 10.0s/60.0s | arrivals 1200 (100/s) | in-flight 7 | p50 - | p99 - | cold 3 | errors 0 | throttled 1 | dropped 0',
    );
    expect(stream.text()).not.toContain('\x1b');
  });
});
