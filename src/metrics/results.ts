/**
 * Assembling the results object from the run's metadata and its sweep points.
 */
import { cpus, arch as osArch, release, totalmem, type } from 'node:os';
import { describeAnomalies, emptyBuckets } from './ledger.js';
import {
  type HarnessSampleResults,
  type HarnessVerdict,
  type LedgerResults,
  type PointResults,
  RESULTS_SCHEMA_VERSION,
  type Results,
  type RunMetadata,
} from './results-schema.js';
import { LEDGER_BUCKETS } from './types.js';

/** The machine the harness ran on, as results.json records it. */
export function machineInfo(): RunMetadata['machine'] {
  const list = cpus();
  return {
    os: `${type()} ${release()}`,
    arch: osArch(),
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
  };
}

/** run.harness from the monitor's samples (saturated if any sample was) and the verdict. */
export function harnessSection(
  samples: readonly HarnessSampleResults[],
  verdict?: HarnessVerdict,
): RunMetadata['harness'] {
  return {
    saturated: samples.some((s) => s.saturated),
    samples: [...samples],
    ...(verdict === undefined ? {} : { verdict }),
  };
}

/** The whole results object; the top-level ledger adds up every point's. */
export function assembleResults(run: RunMetadata, points: readonly PointResults[]): Results {
  return { schemaVersion: RESULTS_SCHEMA_VERSION, run, points: [...points], ledger: totalLedger(points) };
}

function totalLedger(points: readonly PointResults[]): LedgerResults {
  const total: LedgerResults = {
    balanced: true,
    arrivals: 0,
    buckets: emptyBuckets(),
    anomalies: {
      duplicateArrivals: 0,
      unknownOutcomes: 0,
      duplicateOutcomes: 0,
      attemptsForUnknownArrivals: 0,
      examples: [],
    },
    discrepancies: [],
  };
  for (const point of points) {
    const l = point.ledger;
    total.arrivals += l.arrivals;
    for (const b of LEDGER_BUCKETS) total.buckets[b] += l.buckets[b];
    total.anomalies.duplicateArrivals += l.anomalies.duplicateArrivals;
    total.anomalies.unknownOutcomes += l.anomalies.unknownOutcomes;
    total.anomalies.duplicateOutcomes += l.anomalies.duplicateOutcomes;
    total.anomalies.attemptsForUnknownArrivals += l.anomalies.attemptsForUnknownArrivals;
    total.anomalies.examples.push(...l.anomalies.examples);
    const prefix = point.label ? `${point.label}: ` : '';
    total.discrepancies.push(...l.discrepancies.map((d) => prefix + d));
  }
  total.anomalies.examples = total.anomalies.examples.slice(0, 20);
  const sum = LEDGER_BUCKETS.reduce((s, b) => s + total.buckets[b], 0);
  if (sum !== total.arrivals && total.discrepancies.length === 0) {
    total.discrepancies.push(`${total.arrivals} arrivals but buckets add up to ${sum}`);
  }
  if (total.discrepancies.length === 0) total.discrepancies.push(...describeAnomalies(total.anomalies));
  total.balanced = total.discrepancies.length === 0;
  return total;
}
