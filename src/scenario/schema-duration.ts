/** The duration field of scenario files: a string with a unit, checked against a range. */
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './units.js';

const DURATION_HELP = 'expected a duration with a unit, like "250ms", "30s", "2m" or "1h"';

/** A duration string; bare numbers are rejected because their unit would be a guess. */
export function duration(range: { minMs?: number; maxMs?: number; label?: string } = {}) {
  const { minMs = 0, maxMs = Number.POSITIVE_INFINITY, label } = range;
  return z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `a bare number is ambiguous: write "${iss.input}s" or "${iss.input}ms"`
          : DURATION_HELP,
    })
    .regex(new RegExp(DURATION_PATTERN), { error: DURATION_HELP, abort: true })
    .refine(
      (text) => {
        const ms = parseDuration(text) ?? Number.NaN;
        const allowZero = range.minMs === 0;
        return ms >= minMs && ms <= maxMs && (allowZero || ms > 0);
      },
      { error: `expected ${label ?? 'a duration greater than zero'}` },
    );
}
