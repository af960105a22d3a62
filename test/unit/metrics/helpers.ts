/** Builders for recorder tests: attempt and outcome records with sensible defaults. */

import { createRecorder } from '../../../src/metrics/recorder.js';
import { assembleResults, harnessSection, machineInfo } from '../../../src/metrics/results.js';
import type { PointResults, Results } from '../../../src/metrics/results-schema.js';
import type { AttemptRecord, LedgerBucket, OutcomeRecord, SeriesKey } from '../../../src/metrics/types.js';
import { HARNESS_DROP_REASON } from '../../../src/metrics/types.js';
import type { InvocationResult } from '../../../src/targets/types.js';
import { FakeClock } from '../load/fake-clock.js';

export const keyA: SeriesKey = { source: 's3', functionName: 'resize', qualifier: 'mem-512', memoryMB: 512 };
export const keyB: SeriesKey = { source: 'sns', functionName: 'notify', qualifier: 'mem-128', memoryMB: 128 };

export function result(overrides: Partial<InvocationResult> = {}): InvocationResult {
  return { status: 'ok', payload: new Uint8Array(), callLatencyUs: 0, cold: false, ...overrides };
}

export function attempt(
  key: SeriesKey,
  eventId: number,
  intendedStartMs: number,
  endMs: number,
  overrides: Partial<InvocationResult> = {},
  extra: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    key,
    eventId,
    attempt: 1,
    intendedStartMs,
    startMs: intendedStartMs,
    endMs,
    result: result(overrides),
    ...extra,
  };
}

export function outcome(
  key: SeriesKey,
  eventId: number,
  bucket: LedgerBucket,
  intendedStartMs: number,
  endMs: number,
  reason?: string,
): OutcomeRecord {
  return { key, eventId, bucket, attempts: 1, intendedStartMs, endMs, ...(reason ? { reason } : {}) };
}

/** One sweep point of a small but complete run: cold and warm, errors, throttles, a harness drop. */
export function samplePoint(memoryMB: number, slowdown = 1): PointResults {
  const clock = new FakeClock();
  const key = { ...keyA, memoryMB, qualifier: `mem-${memoryMB}` };
  const rec = createRecorder({ clock, label: `memory=${memoryMB}`, parameters: { memoryMB } });
  for (let id = 0; id < 200; id++) {
    const start = id * 10;
    rec.arrival(key, id, start);
    if (id === 199) {
      rec.outcome(outcome(key, id, 'dropped', start, start, HARNESS_DROP_REASON));
      continue;
    }
    const cold = id < 2;
    const status = id % 50 === 7 ? 'function-error' : id % 60 === 9 ? 'throttled' : 'ok';
    const latency = (cold ? 400 : 20 + (id % 10)) * slowdown;
    rec.attempt(
      attempt(key, id, start, start + latency, {
        status,
        cold,
        ...(status === 'function-error' ? { errorType: 'Error' } : {}),
        ...(status === 'throttled'
          ? {}
          : {
              durationMs: latency - 2,
              billedDurationMs: Math.ceil(latency - 2),
              maxMemoryUsedMB: 60 + (id % 5),
            }),
        ...(cold ? { initDurationMs: 350 * slowdown } : {}),
      }),
    );
    const bucket = status === 'ok' ? 'succeeded' : status === 'throttled' ? 'dropped' : 'failed';
    rec.outcome(
      outcome(key, id, bucket, start, start + latency, status === 'throttled' ? 'throttled' : undefined),
    );
  }
  clock.stall(2500);
  return rec.finish({
    scheduler: {
      scheduled: 200,
      started: 199,
      dropped: 1,
      maxLagMs: 3.2,
      meanLagMs: 0.4,
      lateOver10Ms: 0,
      callbackErrors: 0,
    },
  });
}

export function sampleResults(points: PointResults[] = [samplePoint(128, 3), samplePoint(1024)]): Results {
  return assembleResults(
    {
      scenarioName: 's3-burst',
      scenario: { name: 's3-burst', sources: { uploads: { type: 's3' } } },
      seed: 42,
      startedAt: '2025-01-02T03:04:05.000Z',
      endedAt: '2025-01-02T03:04:10.000Z',
      aborted: false,
      lambenchVersion: '0.1.0',
      nodeVersion: process.version,
      machine: machineInfo(),
      target: {
        kind: 'local',
        cpuLimiter: 'duty-cycle',
        notes: ['function asks nodejs22.x; machine runs node 20'],
      },
      harness: harnessSection([
        {
          atEpochMs: 1,
          intervalMs: 1000,
          loopDelayP50Ms: 1,
          loopDelayP99Ms: 2,
          loopDelayMaxMs: 3,
          cpuPercent: 20,
          saturated: false,
        },
      ]),
    },
    points,
  );
}
