/**
 * lambench's Artillery engine under a real Artillery (2.0.21, installed into the cache folder when
 * absent) against the embedded emulator: an Artillery script as a user writes it, with `ensure`
 * checks on lambench's metrics; `lambench run --engine artillery`, whose converted results must pass
 * readResults; and the same scenario through lambench's own engine, which must count the same.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readResults } from '../../src/metrics/index.js';
import type { Results } from '../../src/metrics/results-schema.js';
import { lingeringEnvironments } from '../fixtures/run/lambench.js';
import {
  artilleryBin,
  bundleLikeArtillery,
  engineEnv,
  engineEnvOnly,
  ROOT,
  runNode,
} from '../helpers/artillery.js';
import { awsEnv, lambdaAt, SECRET_ACCESS_KEY, SESSION_TOKEN, startServe } from '../helpers/aws-endpoint.js';
import type { ProcessRun } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'artillery');
const SCRIPT = join(FIXTURES, 'script.yaml');
const SCENARIO = join(FIXTURES, 'uploads.yaml');
const FUNCTIONS = join(FIXTURES, 'functions');
const BUNDLE = join(FIXTURES, 'bundle');
const QUEUE = join(FIXTURES, 'queue.yaml');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const ARRIVALS = 30; // 10/s for 3 s in both the scenario and the script

interface Report {
  aggregate: { counters: Record<string, number>; summaries: Record<string, { count: number; p50: number }> };
}

let bin = '';

beforeAll(() => {
  bin = artilleryBin();
}, 300_000);

describe('artillery run with the lambench engine', () => {
  it('evaluates ensure checks on lambench metrics, counts every arrival, and leaves no environment behind', async () => {
    // Prepare
    const out = join(tempDir('lambench-artillery-'), 'report.json');
    // An optional check that must fail shows the check was evaluated, not skipped.
    const overrides = {
      config: {
        // Generous: on a loaded shared machine p95 can reach seconds; the point is that it is evaluated.
        ensure: {
          thresholds: [{ 'lambench.thumbs.1024.latency.p95': 60_000 }],
          conditions: [
            {
              expression: `lambench.invocations == ${ARRIVALS} and lambench.thumbs.1024.outcome.succeeded == ${ARRIVALS}`,
            },
            { expression: 'lambench.cold_starts > 1000', strict: false },
          ],
        },
      },
    };

    // Act
    const run = await runNode(
      bin,
      ['run', SCRIPT, '--output', out, '--overrides', JSON.stringify(overrides)],
      engineEnv(),
    );

    // Assess
    const output = run.stdout + run.stderr;
    expect(run.code, output).toBe(0);
    expect(output).toContain('ok: lambench.thumbs.1024.latency.p95 < 60000');
    expect(output).toContain(`ok: lambench.invocations == ${ARRIVALS}`);
    expect(output).toContain('fail: lambench.cold_starts > 1000 (optional)');
    const counters = (JSON.parse(readFileSync(out, 'utf8')) as Report).aggregate.counters;
    expect(counters['vusers.created']).toBe(ARRIVALS);
    expect(counters['vusers.completed']).toBe(ARRIVALS);
    expect(counters['lambench.arrivals']).toBe(ARRIVALS);
    expect(counters['lambench.invocations']).toBe(ARRIVALS);
    expect(counters['lambench.thumbs.1024.outcome.succeeded']).toBe(ARRIVALS);
    expect(counters['lambench.cold_starts']).toBeGreaterThanOrEqual(1);
    expect(await lingeringEnvironments(FUNCTIONS, 5_000)).toEqual([]);
  }, 240_000);

  it('fails the run (exit code 1) when a strict check on a lambench metric fails', async () => {
    // Prepare: a shorter load is enough
    const overrides = {
      config: {
        phases: [{ duration: 1, arrivalRate: 5 }],
        ensure: { thresholds: [{ 'lambench.thumbs.1024.duration.max': 0.001 }] },
      },
    };

    // Act
    const run = await runNode(bin, ['run', SCRIPT, '--overrides', JSON.stringify(overrides)], engineEnv());

    // Assess
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toContain('fail: lambench.thumbs.1024.duration.max < 0.001');
    expect(await lingeringEnvironments(FUNCTIONS, 5_000)).toEqual([]);
  }, 240_000);
});

/** `lambench run` of one scenario through Artillery (into dir/a) and natively (into dir/n); both must succeed. */
async function throughBothEngines(
  scenario: string,
  dir: string,
): Promise<{ a: Results; n: Results; viaArtillery: ProcessRun }> {
  const env = { ...engineEnv(), LAMBENCH_ARTILLERY: bin };
  const viaArtillery = await runNode(
    CLI,
    ['run', scenario, '--engine', 'artillery', '--output', join(dir, 'a')],
    env,
  );
  const native = await runNode(CLI, ['run', scenario, '--no-progress', '--output', join(dir, 'n')], env);
  expect(viaArtillery.code, viaArtillery.stderr).toBe(0);
  expect(native.code, native.stderr).toBe(0);
  return {
    viaArtillery,
    a: await readResults(join(dir, 'a', 'results.json')),
    n: await readResults(join(dir, 'n', 'results.json')),
  };
}

describe('lambench run --engine artillery', () => {
  it('writes a results file readResults accepts, counting what the native engine counts', async () => {
    // Prepare
    const dir = tempDir('lambench-artillery-run-');

    // Act: the same scenario through Artillery and through lambench itself
    const { a, n, viaArtillery } = await throughBothEngines(SCENARIO, dir);

    // Assess
    expect(a.run.engine?.name).toBe('artillery');
    expect(a.run.engine?.version).toBe('2.0.21');
    expect(a.run.engine?.notes.join(' ')).toContain('rebuilt from Artillery summaries');
    expect(a.ledger.balanced).toBe(true);
    expect(a.ledger.arrivals).toBe(ARRIVALS);
    expect(a.ledger.buckets.succeeded).toBe(ARRIVALS);
    const as = a.points[0]?.series[0];
    const ns = n.points[0]?.series[0];
    expect(as?.key).toMatchObject({
      source: 'uploads',
      functionName: 'thumbs',
      memoryMB: 1024,
      qualifier: ns?.key.qualifier,
    });
    expect(as?.counters.invocations).toBe(ARRIVALS);
    expect(as?.counters.invocations).toBe(ns?.counters.invocations);
    expect(as?.counters.arrivals).toBe(ns?.counters.arrivals);
    expect(as?.counters.coldStarts).toBeGreaterThanOrEqual(1);
    // Histograms are marked as rebuilt, and carry every invocation.
    const warm = as?.histograms.clientLatencyUs.warm;
    const cold = as?.histograms.clientLatencyUs.cold;
    expect(warm?.approximation).toBe('artillery-summary');
    expect((warm?.summary.count ?? 0) + (cold?.summary.count ?? 0)).toBe(ARRIVALS);
    // Compatible distributions: the function sleeps 5 ms under both engines, so neither reports a
    // shorter duration, and their medians agree within a factor the shared machine's noise allows;
    // client latency is never below the function's own duration. (Latency itself depends on how
    // busy the machine is; bench/README.md compares the engines side by side.)
    const aDuration = as?.histograms.durationUs.warm?.summary ?? { min: 0, p50: 0 };
    const nDuration = ns?.histograms.durationUs.warm?.summary ?? { min: 0, p50: 0 };
    expect(aDuration.min).toBeGreaterThanOrEqual(5_000);
    expect(nDuration.min).toBeGreaterThanOrEqual(5_000);
    expect(aDuration.p50 / nDuration.p50).toBeGreaterThan(1 / 5);
    expect(aDuration.p50 / nDuration.p50).toBeLessThan(5);
    expect(warm?.summary.p50 ?? 0).toBeGreaterThanOrEqual(aDuration.p50 * 0.9);
    expect(viaArtillery.stdout).toContain('ledger: 30 arrivals = 30 succeeded (balanced)');
    // The HTML report renders the converted results like any other.
    const html = join(dir, 'a', 'report.html');
    const report = await runNode(
      CLI,
      ['report', join(dir, 'a', 'results.json'), '--output', html],
      engineEnv(),
    );
    expect(report.code, report.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('artillery-uploads');
    expect(page).toContain('thumbs');
    expect(await lingeringEnvironments(FUNCTIONS, 5_000)).toEqual([]);
  }, 300_000);

  it('writes a script a distributed worker can run: paths relative to it, every file the scenario reads in includeFiles', async () => {
    // Prepare: a scenario that reads a SAM template, its code folder, a CSV and a processor with an import
    const dir = tempDir('lambench-artillery-bundle-');
    const out = join(dir, 'runs', 'first');
    const env = { ...engineEnv(), LAMBENCH_ARTILLERY: bin };
    const run = await runNode(
      CLI,
      ['run', join(BUNDLE, 'scenario.yaml'), '--engine', 'artillery', '--output', out],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const scriptPath = join(out, 'artillery-script.yaml');
    const script = parse(readFileSync(scriptPath, 'utf8')) as {
      config: { engines: { lambench: { scenario: string; logs: string } }; includeFiles: string[] };
    };

    // Assess the written script: nothing absolute, and every input listed
    const engine = script.config.engines.lambench;
    expect(isAbsolute(engine.scenario)).toBe(false);
    expect(resolve(out, engine.scenario)).toBe(join(BUNDLE, 'scenario.yaml'));
    expect(isAbsolute(engine.logs)).toBe(false);
    for (const entry of script.config.includeFiles) {
      expect(isAbsolute(entry), entry).toBe(false);
      expect(existsSync(resolve(out, entry)), entry).toBe(true);
    }
    const listed = script.config.includeFiles.map((f) => resolve(out, f));
    const covered = (file: string) =>
      listed.some((l) => l === file || (statSync(l).isDirectory() && file.startsWith(`${l}/`)));
    for (const file of [
      'scenario.yaml',
      'template.yaml',
      'code/echo.mjs',
      'data/users.csv',
      'processors/build.mjs',
      'processors/shape.mjs',
    ]) {
      expect(covered(join(BUNDLE, file)), file).toBe(true);
    }

    // Act: what a worker gets — the script and its includeFiles only, elsewhere — run from yet another folder
    const bundled = bundleLikeArtillery(scriptPath, join(dir, 'worker', 'test-data'));
    const report = join(dir, 'worker-report.json');
    const worker = await runNode(bin, ['run', bundled, '--output', report], env, join(dir, 'runs'));

    // Assess: the worker loaded the scenario from its copy; the function only succeeds when the CSV
    // row and the processor (with its import) shaped the event
    expect(worker.code, worker.stdout + worker.stderr).toBe(0);
    const counters = (JSON.parse(readFileSync(report, 'utf8')) as Report).aggregate.counters;
    expect(counters['lambench.arrivals']).toBe(10);
    expect(counters['lambench.Echo.512.outcome.succeeded']).toBe(10);
    expect(counters['lambench.errors'] ?? 0).toBe(0);
    const workerCode = resolve(dirname(bundled), relative(out, join(BUNDLE, 'code')));
    expect(existsSync(join(workerCode, 'echo.mjs'))).toBe(true);
    expect(await lingeringEnvironments(workerCode, 5_000)).toEqual([]);
    expect(await lingeringEnvironments(join(BUNDLE, 'code'), 5_000)).toEqual([]);
  }, 300_000);

  it('pull sources (SQS and Kinesis in memory): every record reaches its outcome, in batches as natively', async () => {
    // Prepare
    const dir = tempDir('lambench-artillery-pull-');

    // Act
    const { a, n } = await throughBothEngines(QUEUE, dir);

    // Assess: a user lasts until its record's batch was processed, so nothing is left in flight
    // when Artillery ends, even with a 1 s batching window after the last arrival
    for (const r of [a, n]) {
      expect(r.ledger.arrivals).toBe(40);
      expect(r.ledger.buckets.succeeded).toBe(40);
      expect(r.ledger.balanced).toBe(true);
      // Batched: fewer invocations than records, at most 10 records each
      const invocations = r.points[0]?.series.reduce((k, s) => k + s.counters.invocations, 0) ?? 0;
      expect(invocations).toBeGreaterThanOrEqual(4);
      expect(invocations).toBeLessThan(40);
    }
    expect(a.run.engine?.notes.join(' ')).toContain(
      'pull sources: each Artillery worker has its own in-memory queue or stream',
    );
    expect(
      await lingeringEnvironments(join(ROOT, 'test', 'fixtures', 'artillery', 'queue-consumer'), 5_000),
    ).toEqual([]);
  }, 300_000);

  it('says how to install Artillery when it cannot be found', async () => {
    // Prepare: an environment where no Artillery is reachable
    const env = { ...process.env, PATH: '/nonexistent', LAMBENCH_ARTILLERY: '/nonexistent/artillery' };

    // Act
    const run = await runNode(
      CLI,
      ['run', SCENARIO, '--engine', 'artillery', '--output', tempDir('lambench-no-art-')],
      env,
    );

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'npm install --save-dev --save-exact artillery@2.0.21 artillery-engine-lambench',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('lambench run --engine artillery --target aws (against lambench serve)', () => {
  const SCENARIO_AWS = join(FIXTURES, 'aws-greetings.yaml');
  const SERVED = join(ROOT, 'test', 'fixtures', 'aws', 'hello-128.yaml');
  const env = () => ({ ...awsEnv(), ...engineEnvOnly(), LAMBENCH_ARTILLERY: bin });

  it('shows the preflight, publishes the setting once, lets the worker invoke it, and puts the account back', async () => {
    // Prepare
    const serve = await startServe(SERVED);
    const dir = tempDir('lambench-artillery-aws-');

    // Act
    const run = await runNode(
      CLI,
      [
        'run',
        SCENARIO_AWS,
        '--engine',
        'artillery',
        '--target',
        'aws',
        '--endpoint',
        serve.url,
        '--yes',
        '--output',
        dir,
      ],
      env(),
    );

    // Assess: the same preflight as a native aws run
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('AWS account 123456789012');
    expect(run.stderr).toMatch(/function hello .*128 MB/);
    expect(run.stderr).toMatch(/expected invocations: 20/);
    // The worker was told what to invoke, and how to reach it — never with credentials
    const script = parse(readFileSync(join(dir, 'artillery-script.yaml'), 'utf8')) as {
      config: { engines: { lambench: Record<string, unknown> } };
    };
    expect(script.config.engines.lambench).toMatchObject({
      target: 'aws',
      aws: { endpoint: serve.url, region: 'us-east-1' },
      qualifiers: { hello: 'lambench-mem-256' },
    });
    const results = await readResults(join(dir, 'results.json'));
    expect(results.run.target.kind).toBe('aws');
    expect(results.run.engine?.name).toBe('artillery');
    const series = results.points[0]?.series[0];
    expect(series?.key).toMatchObject({
      functionName: 'hello',
      memoryMB: 256,
      qualifier: 'lambench-mem-256',
    });
    expect(series?.counters.invocations).toBe(20);
    expect(results.ledger.buckets.succeeded).toBe(20);
    // Put back: $LATEST at 128 MB, no alias, no published version left
    const journal = JSON.parse(readFileSync(join(dir, 'restore-journal.json'), 'utf8'));
    expect(journal.restoredAt).toEqual(expect.any(String));
    const lambda = lambdaAt(serve.url);
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }));
    expect(config.MemorySize).toBe(128);
    expect((await lambda.send(new ListAliasesCommand({ FunctionName: 'hello' }))).Aliases ?? []).toEqual([]);
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'hello' }));
    expect((versions.Versions ?? []).map((v) => v.Version)).toEqual(['$LATEST']);
    for (const text of [
      run.stdout,
      run.stderr,
      ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')),
    ]) {
      expect(text).not.toContain(SECRET_ACCESS_KEY);
      expect(text).not.toContain(SESSION_TOKEN);
    }
  }, 300_000);

  it('refuses without a terminal to confirm on unless --yes, before Artillery starts or anything changes', async () => {
    // Prepare
    const serve = await startServe(SERVED);
    const dir = tempDir('lambench-artillery-aws-no-');

    // Act
    const run = await runNode(
      CLI,
      [
        'run',
        SCENARIO_AWS,
        '--engine',
        'artillery',
        '--target',
        'aws',
        '--endpoint',
        serve.url,
        '--output',
        dir,
      ],
      env(),
    );

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AWS account 123456789012');
    expect(run.stderr).toContain('without confirmation: there is no terminal to ask on; pass --yes');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'artillery-script.yaml'))).toBe(false);
    const lambda = lambdaAt(serve.url);
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }));
    expect(config.MemorySize).toBe(128);
    expect((await lambda.send(new ListAliasesCommand({ FunctionName: 'hello' }))).Aliases ?? []).toEqual([]);
  }, 120_000);
});
