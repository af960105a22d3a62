/**
 * Lambda's asynchronous invocation settings (FunctionEventInvokeConfig plus the queue's own
 * back-off), with AWS's defaults and ranges. Delays are milliseconds so scenarios can compress them.
 */
import { InputError } from '../core/errors.js';

export interface AsyncConfig {
  /** Retries after a function error: 0–2, default 2 (MaximumRetryAttempts). */
  maximumRetryAttempts: number;
  /** Delay before retry n (1-based: index 0 is the first retry); the last value repeats. Default [60000, 120000]. */
  retryDelaysMs: readonly number[];
  /** Events older than this are not invoked again; default 6 h (MaximumEventAgeInSeconds 21,600). */
  maximumEventAgeMs: number;
  /** Throttle / service-error re-queue back-off: base × 2^n, capped; default 1 s up to 5 min. */
  throttleBackoffBaseMs: number;
  throttleBackoffCapMs: number;
  /** Calls the queue runs at once: the function's reserved concurrency, else this width. */
  pollerWidth: number;
  /** The function's reserved concurrency when set; 0 sends every event straight to the destination. */
  reservedConcurrency?: number;
}

export const DEFAULT_ASYNC_CONFIG: AsyncConfig = {
  maximumRetryAttempts: 2,
  retryDelaysMs: [60_000, 120_000],
  maximumEventAgeMs: 21_600_000,
  throttleBackoffBaseMs: 1_000,
  throttleBackoffCapMs: 300_000,
  pollerWidth: 100,
};

/** Fills defaults and checks ranges; the one error names the field and what was expected. */
export function resolveAsyncConfig(input: Partial<AsyncConfig> = {}): AsyncConfig {
  const config: AsyncConfig = { ...DEFAULT_ASYNC_CONFIG };
  for (const [k, v] of Object.entries(input)) {
    if (v !== undefined) (config as unknown as Record<string, unknown>)[k] = v;
  }
  const bad = (field: string, expected: string, got: unknown) =>
    new InputError('INVALID_ASYNC_CONFIG', `${field}: expected ${expected}, got ${JSON.stringify(got)}`);
  const r = config.maximumRetryAttempts;
  if (!Number.isInteger(r) || r < 0 || r > 2) throw bad('maximumRetryAttempts', 'an integer from 0 to 2', r);
  if (config.retryDelaysMs.length === 0 || config.retryDelaysMs.some((d) => !(d >= 0)))
    throw bad('retryDelays', 'a non-empty list of durations ≥ 0', config.retryDelaysMs);
  if (!(config.maximumEventAgeMs > 0))
    throw bad('maximumEventAge', 'a duration > 0', config.maximumEventAgeMs);
  if (!(config.throttleBackoffBaseMs > 0))
    throw bad('throttleBackoffBase', 'a duration > 0', config.throttleBackoffBaseMs);
  if (!(config.throttleBackoffCapMs >= config.throttleBackoffBaseMs))
    throw bad('throttleBackoffCap', 'a duration ≥ throttleBackoffBase', config.throttleBackoffCapMs);
  if (!Number.isInteger(config.pollerWidth) || config.pollerWidth < 1)
    throw bad('pollerWidth', 'an integer ≥ 1', config.pollerWidth);
  const rc = config.reservedConcurrency;
  if (rc !== undefined && (!Number.isInteger(rc) || rc < 0))
    throw bad('reservedConcurrency', 'an integer ≥ 0', rc);
  return config;
}

/** Delay before retry number `retry` (1-based). */
export function retryDelayMs(config: AsyncConfig, retry: number): number {
  const delays = config.retryDelaysMs;
  return delays[Math.min(retry, delays.length) - 1] ?? 0;
}

/** Back-off before the n-th re-queue after a throttle or service error (1-based): base·2^(n−1), capped. */
export function throttleBackoffMs(config: AsyncConfig, requeue: number): number {
  return Math.min(config.throttleBackoffCapMs, config.throttleBackoffBaseMs * 2 ** (requeue - 1));
}

/** How many calls the queue runs at once. */
export function queueWidth(config: AsyncConfig): number {
  const rc = config.reservedConcurrency;
  return rc !== undefined && rc > 0 ? rc : config.pollerWidth;
}

/**
 * A source's settings in a function's shared queue: its own retry policy (retries, delays, maximum
 * event age) over the queue's concurrency and back-off.
 */
export function senderConfig(queue: AsyncConfig, source: Partial<AsyncConfig>): AsyncConfig {
  const own: Partial<AsyncConfig> = {};
  if (source.maximumRetryAttempts !== undefined) own.maximumRetryAttempts = source.maximumRetryAttempts;
  if (source.retryDelaysMs !== undefined) own.retryDelaysMs = source.retryDelaysMs;
  if (source.maximumEventAgeMs !== undefined) own.maximumEventAgeMs = source.maximumEventAgeMs;
  return resolveAsyncConfig({ ...queue, ...own });
}
