/**
 * Units in scenario files. Durations always carry a unit ("250ms", "1.5s", "2m", "6h") because a
 * bare number is ambiguous; sizes take B/KB/MB/GB with KB = 1024 B, as Lambda counts memory.
 */

export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?|\\.\\d+)(ms|s|m|h)$';
export const SIZE_PATTERN = '^(\\d+(\\.\\d+)?|\\.\\d+)(B|KB|MB|GB)$';

const DURATION_RE = new RegExp(DURATION_PATTERN);
const SIZE_RE = new RegExp(SIZE_PATTERN);

const MS_PER: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const BYTES_PER: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** "1.5s" → 1500 (ms); undefined when the text is not a duration with a unit. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text.trim());
  const unit = m?.[3];
  if (!m || unit === undefined) return undefined;
  return Number(text.trim().slice(0, -unit.length)) * (MS_PER[unit] ?? Number.NaN);
}

/** "4MB" → 4194304 (bytes); undefined when the text is not a size with a unit. */
export function parseSize(text: string): number | undefined {
  const m = SIZE_RE.exec(text.trim());
  const unit = m?.[3];
  if (!m || unit === undefined) return undefined;
  return Number(text.trim().slice(0, -unit.length)) * (BYTES_PER[unit] ?? Number.NaN);
}

/** A memory setting in MB: an integer (MB) or a size string that is a whole number of MB. */
export function parseMemoryMB(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  const bytes = parseSize(value);
  if (bytes === undefined) return undefined;
  const mb = bytes / 1024 ** 2;
  return Number.isInteger(mb) ? mb : undefined;
}

/** 90000 → "1m30s", 1500 → "1.5s", 250 → "250ms": for plans and messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${round(ms, 1)}ms`;
  if (ms < 60_000) return `${round(ms / 1000, 3)}s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('') || '0s';
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
