import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_ORDER, sweepSchedule } from '../../../src/scenario/sweep-order.js';

const label = (s: ReturnType<typeof sweepSchedule>[number]) =>
  `r${s.repeat}:s${s.setting}${s.slice ? `:${s.slice.index}/${s.slice.of}` : ''}${s.coldStarts ? ':cold' : ''}`;

describe('sweepSchedule', () => {
  it('sequential: each setting whole, cold starts first, for every repeat', () => {
    const s = sweepSchedule(2, { ...DEFAULT_SWEEP_ORDER, order: 'sequential', repeat: 2, coldStarts: 3 });
    expect(s.map(label)).toEqual([
      'r0:s0:cold',
      'r0:s0',
      'r0:s1:cold',
      'r0:s1',
      'r1:s0:cold',
      'r1:s0',
      'r1:s1:cold',
      'r1:s1',
    ]);
    expect(s[0]?.coldStarts).toBe(3);
  });

  it('interleaved: slice 1 of every setting, then slice 2, …', () => {
    const s = sweepSchedule(3, { ...DEFAULT_SWEEP_ORDER, order: 'interleaved', slices: 2 });
    expect(s.map(label)).toEqual([
      'r0:s0:0/2',
      'r0:s1:0/2',
      'r0:s2:0/2',
      'r0:s0:1/2',
      'r0:s1:1/2',
      'r0:s2:1/2',
    ]);
  });

  it('random: every slice once, shuffled by the seed (same seed, same order)', () => {
    const options = { ...DEFAULT_SWEEP_ORDER, order: 'random' as const, slices: 3, seed: 7 };
    const a = sweepSchedule(4, options).map(label);
    expect(sweepSchedule(4, options).map(label)).toEqual(a);
    expect(sweepSchedule(4, { ...options, seed: 8 }).map(label)).not.toEqual(a);
    expect([...a].sort()).toEqual(
      sweepSchedule(4, { ...options, order: 'interleaved' })
        .map(label)
        .sort(),
    );
    expect(a).not.toEqual(sweepSchedule(4, { ...options, order: 'interleaved' }).map(label));
  });
});
