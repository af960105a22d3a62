import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambench, ROOT } from '../fixtures/run/lambench.js';

/** `--kinesis-endpoint` refuses what it cannot use, with one line and exit code 2. */
describe('lambench run/sweep --kinesis-endpoint: bad input', () => {
  let dir: string;
  let kinesisScenario: string;
  let pushScenario: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lambench-kinesis-flag-'));
    const handler = `${join(ROOT, 'examples', 'functions', 'stream-consumer')}/index.handler`;
    kinesisScenario = join(dir, 'kinesis.yaml');
    writeFileSync(
      kinesisScenario,
      [
        'name: kinesis-flag',
        'functions:',
        `  consumer: { handler: ${handler} }`,
        'sources:',
        '  clicks:',
        '    kinesis: { stream: clicks, shards: 1 }',
        '    to: consumer',
        '    load: [{ duration: 1s, arrivalRate: 5 }]',
      ].join('\n'),
    );
    pushScenario = join(dir, 'push.yaml');
    writeFileSync(
      pushScenario,
      [
        'name: push-only',
        'functions:',
        `  consumer: { handler: ${handler} }`,
        'sources:',
        '  calls: { invoke: {}, to: consumer, load: [{ duration: 1s, arrivalRate: 5 }] }',
      ].join('\n'),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['run', 'not a url', 'expected an http:// or https:// URL, got "not a url"'],
    ['run', 'ftp://127.0.0.1:4567', 'expected an http:// or https:// URL'],
    ['sweep', 'kinesis', 'expected an http:// or https:// URL'],
  ])('%s --kinesis-endpoint %s', async (command, url, message) => {
    const out = await lambench([command, kinesisScenario, '--kinesis-endpoint', url, '--dry-run']);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain('command line: --kinesis-endpoint: ');
    expect(out.stderr).toContain(message);
  });

  it('a scenario without a kinesis source says so', async () => {
    const out = await lambench([
      'run',
      pushScenario,
      '--kinesis-endpoint',
      'http://127.0.0.1:4567',
      '--dry-run',
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--kinesis-endpoint: the scenario .*push\.yaml has no kinesis source/);
  });
});
