/**
 * `lambench run` as a user drives it: the plan of --dry-run, --set and --duration-scale, a bad
 * scenario, and Ctrl-C (once: stop arrivals and let in-flight work finish for the grace period;
 * twice: stop at once). The built CLI in a child process; needs `npx tsc -p tsconfig.json`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FIXTURES,
  lambench,
  ledgerProblems,
  lingeringEnvironments,
  readResults,
  startCli,
} from '../fixtures/run/lambench.js';

const CLI_FIXTURES = join(FIXTURES, 'cli');
const FUNCTIONS = join(CLI_FIXTURES, 'functions');
const QUICK = join(CLI_FIXTURES, 'quick.yaml');
const LONG = join(CLI_FIXTURES, 'long.yaml');
const work = mkdtempSync(join(tmpdir(), 'lambench-run-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The plan's "Total:" line: points, seconds of arrivals, events. */
function planTotal(text: string): { points: number; seconds: number; events: number } {
  const m = /^Total: (\d+) points?, ([\d.]+)s .*?, (\d+) events$/m.exec(text);
  expect(m, text).not.toBeNull();
  return { points: Number(m?.[1]), seconds: Number(m?.[2]), events: Number(m?.[3]) };
}

/** Resolves when `text()` matches, or fails after `ms`. */
async function waitFor(text: () => string, pattern: RegExp, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!pattern.test(text())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; got:\n${text()}`);
    await sleep(50);
  }
}

/**
 * How long the interrupted calls run: far longer than any exit, however loaded the machine, so a
 * run that waited for them cannot pass the bounds below (20 s), yet it ends within the test's time.
 */
const CALL_MS = 45_000;

/**
 * Starts LONG with calls of CALL_MS (far longer than its 1 s grace) and sends the first SIGINT once
 * about 2 s of arrivals have gone out.
 */
async function interruptLongCalls(out: string): Promise<ReturnType<typeof startCli>> {
  const cli = startCli([
    'run',
    LONG,
    '--no-progress',
    '--output',
    out,
    '--set',
    `sources.direct.invoke.ms=${CALL_MS}`,
    '--set',
    'functions.work.timeout=60s',
  ]);
  await waitFor(cli.stderr, /^Total: /m, 20_000);
  await sleep(2_000);
  cli.child.kill('SIGINT');
  return cli;
}

describe('lambench run: the plan', () => {
  it('--dry-run prints the plan and invokes nothing', async () => {
    const out = join(work, 'dry');
    const run = await lambench(['run', QUICK, '--dry-run', '--output', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Scenario e2e-cli-quick /m);
    expect(run.stdout).toMatch(/direct: invoke → work \(sync\)/);
    expect(planTotal(run.stdout)).toEqual({ points: 1, seconds: 6, events: 50 });
    expect(existsSync(out)).toBe(false);
    expect(run.stdout).not.toMatch(/ledger:/);
    expect(await lingeringEnvironments(FUNCTIONS, 0)).toEqual([]);
  });

  it('--set changes a phase rate and --duration-scale every phase duration', async () => {
    const set = await lambench(['run', QUICK, '--dry-run', '--set', 'sources.direct.load[1].arrivalRate=20']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/2s at 5\/s; 4s at 20\/s/);
    expect(planTotal(set.stdout)).toEqual({ points: 1, seconds: 6, events: 90 });

    const scaled = await lambench(['run', QUICK, '--dry-run', '--duration-scale', '0.5']);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(planTotal(scaled.stdout)).toEqual({ points: 1, seconds: 3, events: 25 });

    const both = await lambench([
      'run',
      QUICK,
      '--dry-run',
      '--duration-scale',
      '0.5',
      '--set',
      'sources.direct.load[1].arrivalRate=20',
    ]);
    expect(planTotal(both.stdout)).toEqual({ points: 1, seconds: 3, events: 45 });
  });

  it.each([
    [
      ['run', join(CLI_FIXTURES, 'bad-memory.yaml')],
      /bad-memory\.yaml:6:\d+: functions\.work\.memory: expected memory/,
    ],
    [['run', join(CLI_FIXTURES, 'missing.yaml')], /missing\.yaml/],
    [['run', QUICK, '--duration-scale', '0'], /--duration-scale: expected a number greater than 0/],
    [['run', QUICK, '--set', 'sources.direct.load[0].arrivalRate=fast'], /arrivalRate/],
  ])('rejects bad input %j with one line, exit 2 and no stack trace', async (args, pattern) => {
    const out = join(work, 'bad');
    const run = await lambench([...args, '--output', out]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(
      lines.filter((l) => l.startsWith('lambench: ')),
      run.stderr,
    ).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe('lambench run: Ctrl-C', () => {
  it('stops arrivals, lets in-flight calls have the grace period, writes aborted results, exits 130', async () => {
    const out = join(work, 'sigint');
    const cli = startCli(['run', LONG, '--no-progress', '--output', out]);
    await waitFor(cli.stderr, /^Total: /m, 20_000);
    await sleep(2_000);
    cli.child.kill('SIGINT');
    const interruptedAt = Date.now();
    const run = await cli.done;
    const tookMs = Date.now() - interruptedAt;

    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/SIGINT: stopping arrivals/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // Grace is 1 s; the calls take 3 s, so this allows them to finish and the run to close.
    expect(tookMs).toBeLessThan(1_000 + 6_000);
    const results = readResults(out);
    expect(results.run.aborted).toBe(true);
    expect(results.run.abortReason).toBe('SIGINT');
    expect(ledgerProblems(results)).toEqual([]);
    const { arrivals, buckets } = results.ledger;
    // 5/s for about 2 s before the interrupt, far fewer than the 150 planned.
    expect(arrivals).toBeGreaterThanOrEqual(3);
    expect(arrivals).toBeLessThan(60);
    expect(buckets.succeeded + buckets['in-flight']).toBe(arrivals);
    // Every arrival the scheduler started before the stop is in the ledger, and no more.
    expect(results.points[0]?.scheduler).toMatchObject({
      scheduled: arrivals,
      started: arrivals,
      dropped: 0,
    });
    expect(run.stdout).toMatch(/ABORTED: SIGINT/);
    expect(await lingeringEnvironments(FUNCTIONS)).toEqual([]);
  });

  it('a second Ctrl-C stops at once and still writes the results', async () => {
    const out = join(work, 'sigint-twice');
    const cli = await interruptLongCalls(out);
    await waitFor(cli.stderr, /SIGINT: stopping arrivals/, 5_000);
    await sleep(300);
    cli.child.kill('SIGINT');
    const secondAt = Date.now();
    const run = await cli.done;

    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/SIGINT: stopping now/);
    // The calls would run 45 s; stopping at once must not wait for them. Closing the environments
    // and writing the results take well under a second on a quiet machine, seconds on a loaded one.
    expect(Date.now() - secondAt).toBeLessThan(20_000);
    const results = readResults(out);
    expect(results.run.aborted).toBe(true);
    expect(ledgerProblems(results)).toEqual([]);
    expect(results.ledger.arrivals).toBeGreaterThanOrEqual(3);
    expect(results.ledger.buckets.succeeded).toBe(0);
    // The calls the harness cut short are in flight, not the function's failures.
    expect(results.ledger.buckets['in-flight']).toBe(results.ledger.arrivals);
    expect(results.points[0]?.series[0]?.counters.errors).toBe(0);
    expect(await lingeringEnvironments(FUNCTIONS)).toEqual([]);
  });

  it('does not wait past the grace period for calls still running: they are recorded in flight', async () => {
    const out = join(work, 'sigint-grace');
    const cli = await interruptLongCalls(out);
    const interruptedAt = Date.now();
    const run = await cli.done;

    expect(run.code, run.stderr).toBe(130);
    // Grace is 1 s and the calls would run 45 s.
    expect(Date.now() - interruptedAt).toBeLessThan(1_000 + 19_000);
    const results = readResults(out);
    expect(ledgerProblems(results)).toEqual([]);
    expect(results.ledger.buckets['in-flight']).toBe(results.ledger.arrivals);
    expect(results.points[0]?.series[0]?.counters.errors).toBe(0);
    expect(await lingeringEnvironments(FUNCTIONS)).toEqual([]);
  });
});
