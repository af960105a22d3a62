/**
 * A closed stdout (`lambench events s3 put --count 2000 | head -1`) ends every printing command
 * quietly: exit code 0, no stack trace. The built CLI in a child process whose stdout reader goes
 * away — after the first line, like `head -1`, or before anything was read.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

interface Closed {
  code: number | null;
  signal: NodeJS.Signals | null;
  firstLine: string;
  stderr: string;
}

/** Runs the CLI; closes its stdout after the first line (`head -1`), or at once with `atOnce`. */
function closingStdout(args: string[], options: { atOnce?: boolean; stdin?: string } = {}): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (options.atOnce) child.stdout.destroy();
    else {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n')) child.stdout.destroy();
      });
    }
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, firstLine: stdout.split('\n')[0] ?? '', stderr }),
    );
    child.stdin.end(options.stdin ?? '');
  });
}

function expectQuiet(run: Closed): void {
  expect(run.signal).toBeNull();
  expect(run.code).toBe(0);
  expect(run.stderr).not.toMatch(/EPIPE|ERR_STREAM_DESTROYED/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('a closed stdout', () => {
  it('`events s3 put --count 2000 | head -1`: the first event, then exit 0 without a stack trace', async () => {
    const run = await closingStdout(['events', 's3', 'put', '--count', '2000']);
    expectQuiet(run);
    expect(JSON.parse(run.firstLine)).toMatchObject({ Records: [{ eventName: 'ObjectCreated:Put' }] });
  });

  const commands: Array<[string, string[], string?]> = [
    ['events, many events', ['events', 's3', 'put', '--count', '2000']],
    ['events, batches', ['events', 'kinesis', '--count', '3000', '--batch-size', '1']],
    ['events, one event', ['events', 'sns']],
    ['events --list', ['events', '--list']],
    ['schema', ['schema']],
    ['--help', ['--help']],
    ['run --dry-run', ['run', 'scenarios/quickstart.yaml', '--dry-run']],
    ['invoke', ['invoke', 'examples/functions/hello/index.handler', '--event', '-'], '{"name":"pipe"}'],
  ];
  for (const [what, args, stdin] of commands) {
    it(`${what}: a reader gone before the first write ends it with exit 0`, async () => {
      const run = await closingStdout(args, { atOnce: true, ...(stdin === undefined ? {} : { stdin }) });
      expectQuiet(run);
    });
  }
});
