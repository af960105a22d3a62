/**
 * The aws target end to end, as a user runs it: `lambench serve <scenario>` in one process speaks
 * Lambda's API, `lambench run <scenario> --target aws --endpoint URL --yes` in another drives it
 * through the AWS SDK (control plane) and the signed HTTP pool (Invoke). The results must have the
 * local run's shape, the account must be left as it was, and the credentials must appear nowhere.
 * Needs the build.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { ResultsSchema } from '../../src/metrics/results-schema.js';
import {
  ACCESS_KEY_ID,
  lambdaAt,
  ROOT,
  runLambench,
  runOnAws,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
  startServe,
} from '../helpers/aws-endpoint.js';
import { until } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'aws');

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every file under a folder, read as text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, text: readFileSync(path, 'utf8') });
  }
  return out;
}

function expectNoCredentials(texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(SECRET_ACCESS_KEY);
    expect(text).not.toContain(SESSION_TOKEN);
    expect(text).not.toContain(ACCESS_KEY_ID);
  }
}

/** What the run must leave behind: $LATEST as served, no alias, no published version. */
async function expectUntouched(lambda: LambdaClient, name: string, memoryMB: number): Promise<void> {
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  expect(config.MemorySize).toBe(memoryMB);
  const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: name }));
  expect(aliases.Aliases ?? []).toEqual([]);
  const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  expect((versions.Versions ?? []).map((v) => v.Version)).toEqual(['$LATEST']);
}

describe('lambench run --target aws against lambench serve', () => {
  it('quickstart: the local run schema, both sweep points, the account put back, no credentials anywhere', async () => {
    // Prepare
    const scenario = join(ROOT, 'scenarios', 'quickstart.yaml');
    const serve = await startServe(scenario);
    const awsDir = tempDir('lambench-aws-');
    const localDir = tempDir('lambench-local-');
    // Act
    const aws = await runOnAws(scenario, serve.url, awsDir, ['--duration-scale', '0.5']);
    const local = await runLambench([
      'run',
      scenario,
      '--no-progress',
      '--output',
      localDir,
      '--duration-scale',
      '0.5',
    ]);
    // Assess
    expect(aws.code, aws.err).toBe(0);
    expect(local.code, local.err).toBe(0);
    expect(aws.err).toContain('AWS account 123456789012');
    expect(aws.err).toMatch(/account concurrency: 1000/);
    expect(aws.err).toMatch(/function hello .*256 MB, 3 s, reserved concurrency none/);
    expect(aws.err).toMatch(/expected invocations: \d+/);
    expect(aws.err).toMatch(/estimated cost: at most \$0\.\d{4}/);
    const awsResults = ResultsSchema.parse(JSON.parse(readFileSync(join(awsDir, 'results.json'), 'utf8')));
    const localResults = ResultsSchema.parse(
      JSON.parse(readFileSync(join(localDir, 'results.json'), 'utf8')),
    );
    expect(awsResults.run.target.kind).toBe('aws');
    expect(Object.keys(awsResults).sort()).toEqual(Object.keys(localResults).sort());
    expect(Object.keys(awsResults.run).sort()).toEqual(Object.keys(localResults.run).sort());
    expect(awsResults.points.map((p) => p.parameters)).toEqual(localResults.points.map((p) => p.parameters));
    expect(awsResults.ledger).toEqual(localResults.ledger);
    const series = awsResults.points.flatMap((p) => p.series);
    expect(series.map((s) => s.key.qualifier).sort()).toEqual(['lambench-mem-1024', 'lambench-mem-256']);
    // Every invoke succeeded, and the REPORT figures came through the Tail log: cold starts counted.
    for (const s of series) {
      expect(s.counters.errors).toBe(0);
      expect(s.counters.invocations).toBeGreaterThan(0);
      expect(s.counters.coldStarts).toBeGreaterThan(0);
      expect(s.histograms.initDurationUs).toBeDefined();
    }
    const journal = JSON.parse(readFileSync(join(awsDir, 'restore-journal.json'), 'utf8'));
    expect(journal.restoredAt).toEqual(expect.any(String));
    await expectUntouched(lambdaAt(serve.url), 'hello', 256);
    expectNoCredentials([aws.out, aws.err, ...filesUnder(awsDir).map((f) => f.text)]);
  });
});

describe('lambench restore after a run was killed', () => {
  it('SIGKILL mid-sweep leaves the change in place; restore puts $LATEST back and deletes versions and aliases', async () => {
    // Prepare
    const serve = await startServe(join(FIXTURES, 'hello-128.yaml'));
    const lambda = lambdaAt(serve.url);
    const dir = tempDir('lambench-aws-kill-');
    const journalPath = join(dir, 'restore-journal.json');
    let killed = false;
    // Act: kill the run once it has changed $LATEST and created its first alias.
    const run = runOnAws(join(FIXTURES, 'sweep-long.yaml'), serve.url, dir, [], {
      onSpawn: (proc) => {
        void until(() => {
          const j = readJson(journalPath) as
            | { functions?: { hello?: { createdAliases?: string[] } } }
            | undefined;
          return (j?.functions?.hello?.createdAliases?.length ?? 0) > 0;
        }, 60_000).then(async () => {
          // The alias is announced before it is created: give CreateAlias a moment to happen.
          await until(() => existsSync(journalPath), 1000);
          await new Promise((r) => setTimeout(r, 500));
          killed = proc.kill('SIGKILL');
        });
      },
    });
    const result = await run;
    // Assess: the run died with its change in place.
    expect(killed).toBe(true);
    expect(result.code).toBeNull();
    const changed = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }));
    expect(changed.MemorySize).toBe(256);
    expect(changed.Environment?.Variables?.SWEEP).toBe('yes');
    expect(readJson(journalPath)?.restoredAt).toBeUndefined();
    // Act: restore from the journal, twice (the second finds nothing left to do).
    const restored = await runLambench(['restore', journalPath]);
    const again = await runLambench(['restore', journalPath]);
    // Assess
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toContain('restored hello: $LATEST back to 128 MB, 3 s');
    expect(again.code, again.err).toBe(0);
    await expectUntouched(lambda, 'hello', 128);
    const back = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }));
    expect(back.Environment?.Variables).toEqual({ GREETING: 'deployed' });
    expect(readJson(journalPath)?.restoredAt).toEqual(expect.any(String));
    expectNoCredentials([
      result.out,
      result.err,
      restored.out,
      restored.err,
      readFileSync(journalPath, 'utf8'),
    ]);
  });

  it('a file that is not a journal is refused in one line with exit code 2', async () => {
    const dir = tempDir('lambench-aws-bad-');
    const bad = join(dir, 'results.json');
    writeFileSync(bad, '{"schemaVersion":1}');
    const out = await runLambench(['restore', bad]);
    expect(out.code).toBe(2);
    expect(out.err.trim()).toBe(
      `lambench: ${bad}: not a lambench restore journal (expected kind: lambench-restore-journal, version: 1)`,
    );
  });
});

/**
 * Every shipped scenario runs on the aws target against `lambench serve` of the same scenario
 * (sweeps with a grace period per point take minutes on a loaded machine: hence the long timeout).
 */
const SHIPPED = readdirSync(join(ROOT, 'scenarios')).filter(
  (f) => f.endsWith('.yaml') && f !== 'quickstart.yaml',
);

describe('shipped scenarios on the aws target', () => {
  it.each(SHIPPED)(
    '%s runs with a balanced ledger and leaves its functions as served',
    async (file) => {
      // Prepare
      const scenario = join(ROOT, 'scenarios', file);
      const plan = await runLambench(['run', scenario, '--dry-run']);
      if (plan.code !== 0) {
        // A scenario the loader refuses is refused the same way on the aws target, before any call.
        const aws = await runLambench([
          'run',
          scenario,
          '--target',
          'aws',
          '--endpoint',
          'http://127.0.0.1:9',
          '--yes',
        ]);
        expect(aws.code).toBe(plan.code);
        expect(aws.err).toBe(plan.err);
        return;
      }
      const serve = await startServe(scenario);
      const lambda = lambdaAt(serve.url);
      const dir = tempDir('lambench-aws-scenario-');
      // Act
      const run = await runOnAws(scenario, serve.url, dir, ['--duration-scale', '0.15']);
      // Assess
      expect(run.code, run.err).toBe(0);
      const results = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
      expect(results.run.target.kind).toBe('aws');
      expect(results.ledger.balanced).toBe(true);
      expect(results.ledger.arrivals).toBeGreaterThan(0);
      const invocations = results.points
        .flatMap((p) => p.series)
        .reduce((n, s) => n + s.counters.invocations, 0);
      expect(invocations).toBeGreaterThan(0);
      const journal = readJson(join(dir, 'restore-journal.json')) as
        | { restoredAt?: string; functions: object }
        | undefined;
      if (journal !== undefined && Object.keys(journal.functions).length > 0)
        expect(journal.restoredAt).toBeDefined();
      for (const fn of results.points.flatMap((p) => p.series.map((s) => s.key.functionName))) {
        const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: fn }));
        expect(aliases.Aliases ?? []).toEqual([]);
      }
    },
    180_000,
  );
});
