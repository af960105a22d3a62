/**
 * The benchmark suite in smoke mode, as `npm run bench -- --smoke` runs it: every script in bench/
 * runs for about a second through the suite, so none of them rots. Each must exit 0 and return rows
 * that follow the contract in bench/lib/rows.mjs. The peers part installs its one small peer
 * (lambda-local 2.2.0, a few seconds from the npm registry) into a temporary cache; @vercel/fun and
 * serverless-offline are measured by the full suite only (their installs are large). Needs the build.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BENCH = join(ROOT, 'bench');
const PARTS = readdirSync(BENCH)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.slice(0, -'.mjs'.length));

interface Row {
  key: string;
  label: string;
  value: number | null;
  unit: string;
  text?: string;
}
interface PartResult {
  part: string;
  about: string;
  rows: Row[];
  code: number;
  seconds: number;
}
interface Suite {
  smoke: boolean;
  results: PartResult[];
  targets: { label: string; missing?: string; met?: boolean }[];
}

let suite: Suite;
let stdout = '';
let exitCode: number | null = null;
let out = '';

describe('npm run bench -- --smoke', () => {
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'lambench-bench-smoke-'));
    const peers = join(out, 'peers');
    const child = spawn(process.execPath, [join(BENCH, 'run.mjs'), '--smoke', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, LAMBENCH_PEERS_DIR: peers },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.resume();
    exitCode = await new Promise((resolve) => child.on('close', resolve));
    suite = JSON.parse(readFileSync(join(out, 'suite.json'), 'utf8'));
  }, 600_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs every script in bench/ and exits 0', () => {
    const failed = suite.results.filter((r) => r.code !== 0);
    const logs = failed.map(
      (r) => `${r.part}: ${readFileSync(join(out, `${r.part}.log`), 'utf8').slice(-1500)}`,
    );
    expect(logs).toEqual([]);
    expect(exitCode).toBe(0);
    expect(suite.smoke).toBe(true);
    expect(suite.results.map((r) => r.part).sort()).toEqual([...PARTS].sort());
  });

  it.each(PARTS)('%s returns rows by the contract (key, label, a number or words)', (part) => {
    const result = suite.results.find((r) => r.part === part);
    expect(result?.about, `bench/${part}.mjs exports about`).toMatch(/\w/);
    expect(result?.rows.length, `bench/${part}.mjs returned no rows`).toBeGreaterThan(0);
    for (const row of result?.rows ?? []) {
      expect(row.key.startsWith(`${part}.`), row.key).toBe(true);
      expect(row.label).toMatch(/\w/);
      if (row.value === null) expect(row.text).toMatch(/\w/);
      else {
        expect(Number.isFinite(row.value), `${row.key} = ${row.value}`).toBe(true);
        expect(row.unit).toMatch(/\S/);
      }
    }
  });

  it('leaves no driver of this tree running (each leads a process group the suite kills)', () => {
    const driver = join(BENCH, 'peers', 'driver.mjs');
    const left = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(driver);
        } catch {
          return false;
        }
      });
    expect(left).toEqual([]);
  });

  it('prints one table with every part and the targets', () => {
    for (const part of PARTS) expect(stdout).toContain(`[${part}]`);
    expect(stdout).toContain('SMOKE RUN');
    for (const t of suite.targets) expect(stdout).toContain(t.label);
  });

  it('measures lambench and lambda-local side by side, with failure outcomes', () => {
    const rows = new Map(suite.results.flatMap((r) => r.rows).map((r) => [r.key, r]));
    for (const tool of ['lambench-local', 'lambench-serve', 'lambda-local']) {
      for (const key of ['cold', 'trivial.c1', 'trivial.c4', 'cpu.c1', 'cpu.c4', 'rss-growth']) {
        expect(rows.get(`peers.${tool}.${key}`)?.value, `peers.${tool}.${key}`).toBeTypeOf('number');
      }
    }
    // Outcomes the emulator promises: Lambda's error types, and the next call still served.
    expect(rows.get('peers.lambench-local.outcome.timeout')?.text).toMatch(/Sandbox\.Timedout.*next call ok/);
    expect(rows.get('peers.lambench-local.outcome.crash')?.text).toMatch(/Runtime\.ExitError.*next call ok/);
    expect(rows.get('peers.lambench-local.outcome.oom')?.text).toMatch(/Runtime\.OutOfMemory.*next call ok/);
    expect(rows.get('peers.lambench-local.outcome.idle')?.text).toMatch(/^4 of 4 answered OK/);
    // lambda-local runs the handler in the caller's process: process.exit takes the caller with it.
    expect(rows.get('peers.lambda-local.outcome.crash')?.text).toMatch(/host process died/);
    expect(rows.get('peers.lambda-local.version')?.text).toBe('lambda-local 2.2.0');
  });
});
