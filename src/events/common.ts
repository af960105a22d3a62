/**
 * Defaults and small helpers shared by the generators: account, region, times and ARNs.
 */
import type { GenerateContext } from './types.js';

export const DEFAULT_REGION = 'us-east-1';
/** AWS's documentation account id; every default ARN uses it unless `account` is given. */
export const DEFAULT_ACCOUNT = '123456789012';

/** 2025-01-01T00:00:00Z, the default epoch of generated events (ms). */
const BASE_EPOCH_MS = Date.UTC(2025, 0, 1);
/** Default spacing between consecutive indexes when no `now` is given (ms). */
export const DEFAULT_SPACING_MS = 10;

/**
 * Epoch ms of an event: `ctx.now` when given, else a fixed epoch (shifted by the seed, so two
 * seeds do not share timestamps) plus index × 10 ms, so default output is stable and ordered.
 */
export function eventTimeMs(ctx: GenerateContext): number {
  if (ctx.now !== undefined) return ctx.now;
  return BASE_EPOCH_MS + (Math.abs(Math.trunc(ctx.seed)) % 100_000) * 1000 + ctx.index * DEFAULT_SPACING_MS;
}

/** ISO 8601 with milliseconds and Z, as S3, SNS and SQS write it. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** ISO 8601 without milliseconds, as EventBridge and Alexa write it. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's request time, `09/Apr/2015:12:34:56 +0000` (always UTC). */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(
    d.getUTCMinutes(),
  )}:${p2(d.getUTCSeconds())} +0000`;
}

/** A deterministic 32-bit hash of a string (FNV-1a), for values that must depend only on a name. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function arn(service: string, region: string, account: string, resource: string): string {
  return `arn:aws:${service}:${region}:${account}:${resource}`;
}
