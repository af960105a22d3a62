import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, InputError, LambenchError } from '../../../src/core/errors.js';
import { mergeHistograms } from '../../../src/metrics/histogram.js';
import { readResults, writeResults } from '../../../src/metrics/results-file.js';
import { ResultsSchema } from '../../../src/metrics/results-schema.js';
import { samplePoint, sampleResults } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lambench-results-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const expectInputError = async (promise: Promise<unknown>, line: RegExp) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(ExitCode.BadInput);
  expect((error as InputError).toLine()).toMatch(line);
  expect((error as InputError).toLine()).not.toContain('\n');
};

describe('results.json', () => {
  it('validates against its own schema and adds the points up in the top-level ledger', () => {
    const results = sampleResults();
    expect(ResultsSchema.safeParse(results).success).toBe(true);
    expect(results.schemaVersion).toBe(1);
    expect(results.ledger).toMatchObject({ balanced: true, arrivals: 400 });
    expect(results.ledger.buckets).toMatchObject({ succeeded: 382, failed: 8, dropped: 10 });
  });

  it('is written then read back identical', async () => {
    const results = sampleResults();
    const path = await writeResults(dir, results);
    expect(path).toBe(join(dir, 'results.json'));
    const back = await readResults(path);
    expect(back).toEqual(JSON.parse(JSON.stringify(results)));
  });

  it('keeps histograms that merge across sweep points and files', async () => {
    const results = await readResults(await writeResults(dir, sampleResults()));
    const warm = results.points.flatMap((p) =>
      p.series.map((s) => s.histograms.clientLatencyUs.warm).filter((h) => !!h),
    );
    const merged = mergeHistograms(warm);
    expect(merged.totalCount).toBe(warm.reduce((n, h) => n + h.summary.count, 0));
    // The 128 MB point is three times slower: its warm p50 (~75 ms) is above the 1024 MB max (~29 ms).
    expect(merged.maxValue).toBeGreaterThan(80_000);
  });

  it('reports a missing file, bad JSON, a wrong version and a bad field in one line each', async () => {
    await expectInputError(readResults(join(dir, 'nope.json')), /nope\.json: no such file/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"schemaVersion": 1,');
    await expectInputError(readResults(bad), /bad\.json: not valid JSON/);
    await writeFile(bad, JSON.stringify({ schemaVersion: 2 }));
    await expectInputError(readResults(bad), /bad\.json: schemaVersion: expected 1, found 2/);
    const results = JSON.parse(JSON.stringify(sampleResults()));
    results.points[1].series[0].histograms.clientLatencyUs.warm.encoded = 'not-a-histogram';
    await writeFile(bad, JSON.stringify(results));
    await expectInputError(
      readResults(bad),
      /points\[1\]\.series\[0\]\.histograms\.clientLatencyUs\.warm\.encoded: expected an encoded HdrHistogram/,
    );
    delete results.run.seed;
    await writeFile(bad, JSON.stringify(results));
    await expectInputError(readResults(bad), /bad\.json: run\.seed: /);
  });

  it('refuses to write results that break the schema (a harness bug, exit 3)', async () => {
    const results = sampleResults([samplePoint(256)]);
    (results.run as { seed: unknown }).seed = 'forty-two';
    const error = await writeResults(dir, results).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambenchError);
    expect((error as LambenchError).exitCode).toBe(ExitCode.Internal);
    expect((error as LambenchError).message).toMatch(/run\.seed/);
    // Nothing half-written is left behind.
    expect(await readFile(join(dir, 'results.json'), 'utf8')).toContain('"schemaVersion": 1');
  });
});
