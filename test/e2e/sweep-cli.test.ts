/**
 * `lambench sweep` as a user drives it, through the built CLI: a handler swept with forced cold
 * starts and priced at both architectures; the shipped memory-hungry scenario, whose small settings
 * run out of memory while the sweep goes on; the plan of --dry-run; bad flags and price files.
 * Needs `npm run build`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  lambench,
  ledgerProblems,
  lingeringEnvironments,
  ROOT,
  readResults,
} from '../fixtures/run/lambench.js';

const PRIMES = join(ROOT, 'examples', 'functions', 'cpu-primes');
const LOOKUP = join(ROOT, 'examples', 'functions', 'lookup-table');
const work = mkdtempSync(join(tmpdir(), 'lambench-sweep-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const event = join(work, 'event.json');
writeFileSync(event, JSON.stringify({ limit: 100_000 }));

describe('lambench sweep', () => {
  it('sweeps a handler: interleaved slices, forced cold starts, a table, a recommendation, results.json', async () => {
    const out = join(work, 'primes');
    const run = await lambench([
      'sweep',
      'examples/functions/cpu-primes/index.handler',
      '--memory',
      '256,1769',
      '--event',
      event,
      '--duration',
      '2s',
      '--slices',
      '2',
      '--cold-starts',
      '2',
      '--architecture',
      'x86_64,arm64',
      '--output',
      out,
      '--html',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    const lines = run.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('memory'))).toMatch(
      /warm p50 .*cold +init p50 +mem used +\$\/1M x86_64 +\$\/1M arm64 +verdict/,
    );
    expect(lines.filter((l) => /^(256|1769) MB/.test(l))).toHaveLength(2);
    expect(run.stdout).toMatch(/^Recommended: (256|1769) MB \(speed \(p90\)\)/m);
    expect(run.stdout).toMatch(/arm64 speed cannot be emulated locally/);

    const results = readResults(out);
    expect(ledgerProblems(results)).toEqual([]);
    // Two settings × (one cold-start point + two slices).
    expect(results.points).toHaveLength(6);
    expect(results.points.filter((p) => p.parameters.phase === 'cold-starts')).toHaveLength(2);
    const sweep = results.sweep;
    expect(sweep?.order).toBe('interleaved');
    expect(sweep?.settings.map((s) => s.memoryMB)).toEqual([256, 1769]);
    for (const s of sweep?.settings ?? []) {
      expect(s.failed).toBe(false);
      expect(s.forcedColdStarts).toBe(2);
      expect(s.initP50Us).toBeGreaterThan(0);
      expect(s.warm.count).toBeGreaterThan(0);
      expect(s.costs.map((c) => c.architecture)).toEqual(['x86_64', 'arm64']);
      expect(s.costs[0]?.perMillionUsd).toBeGreaterThan(0.2); // at least the request price
    }
    expect([256, 1769]).toContain(sweep?.recommendation?.memoryMB);
    expect(await lingeringEnvironments(PRIMES)).toEqual([]);
  });

  it('marks the settings that run out of memory failed, with the reason, and goes on', async () => {
    const out = join(work, 'hungry');
    const run = await lambench([
      'sweep',
      'scenarios/memory-hungry-sweep.yaml',
      '--duration-scale',
      '0.5',
      '--slices',
      '2',
      '--output',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const sweep = readResults(out).sweep;
    const at = (mb: number) => sweep?.settings.find((s) => s.memoryMB === mb);
    for (const mb of [128, 256]) {
      expect(at(mb)?.failed).toBe(true);
      expect(at(mb)?.reason).toMatch(/^Runtime\.OutOfMemory in \d+ of \d+ invocations$/);
      expect(at(mb)?.errorsByType['Runtime.OutOfMemory']).toBeGreaterThan(0);
    }
    for (const mb of [512, 1024]) {
      expect(at(mb)?.failed).toBe(false);
      expect(at(mb)?.maxMemoryUsedMB).toBeGreaterThan(300);
    }
    expect([512, 1024]).toContain(sweep?.recommendation?.memoryMB);
    expect(run.stdout).toMatch(/^128 MB .*failed: Runtime\.OutOfMemory/m);
    expect(await lingeringEnvironments(LOOKUP)).toEqual([]);
  }, 180_000); // each out-of-memory call takes 5-7 s at a small CPU share (see the scenario)

  it('prints the plan with --dry-run: repeats, slices and cold-start points', async () => {
    const run = await lambench([
      'sweep',
      'scenarios/memory-sweep.yaml',
      '--memory',
      '128..512/128',
      '--repeat',
      '2',
      '--cold-starts',
      '1',
      '--dry-run',
    ]);
    expect(run.code, run.stderr).toBe(0);
    // 4 settings × 2 repeats × (4 slices + 1 cold-start point).
    expect(run.stdout).toMatch(/^Total: 40 points/m);
  });

  it('rejects bad flags and price files in one line, exit 2', async () => {
    const small = await lambench(['sweep', 'scenarios/memory-sweep.yaml', '--memory', '64,128']);
    expect(small.code).toBe(2);
    expect(small.stderr.trim()).toBe(
      'lambench: command line: --memory: 64 MB: Lambda allows 128 to 10240 MB',
    );
    const prices = join(work, 'prices.json');
    writeFileSync(prices, JSON.stringify({ requestUsd: 'free' }));
    const bad = await lambench(['sweep', 'scenarios/memory-sweep.yaml', '--prices', prices, '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`lambench: ${prices}: requestUsd: expected a price in USD (a number ≥ 0)`);
    const latency = await lambench([
      'sweep',
      'scenarios/memory-sweep.yaml',
      '--max-latency',
      'fast',
      '--dry-run',
    ]);
    expect(latency.code).toBe(2);
    expect(latency.stderr).toMatch(/--max-latency: 'fast': expected p50\|p90\|p99 < TIME/);
  });
});
