#!/usr/bin/env node
// Installs the Artillery the tests and the engines benchmark use — 2.0.21, the last release for
// Node 20 — into node_modules/.cache/lambench-artillery/<version>, outside the project's own
// dependencies (lambench only has Artillery as an optional peer), unless it is already there.
// Install scripts are skipped: Playwright's would download Chromium, unix-dgram's would compile
// an optional syslog binding; neither is used by `artillery run` with a custom engine.
// Prints the path of Artillery's bin/run file on stdout.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTILLERY_VERSION = '2.0.21';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Artillery's bin/run path, installing it first when absent; `log` gets progress lines. */
export function installArtillery(log = (line) => process.stderr.write(`${line}\n`)) {
  const dir = join(root, 'node_modules', '.cache', 'lambench-artillery', ARTILLERY_VERSION);
  const bin = join(dir, 'node_modules', '.bin', 'artillery');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "name": "lambench-artillery-cache", "private": true }\n');
    const started = Date.now();
    log(`installing artillery@${ARTILLERY_VERSION} into ${dir} …`);
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact', `artillery@${ARTILLERY_VERSION}`],
      { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } },
    );
    log(`artillery@${ARTILLERY_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return realpathSync(bin);
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${installArtillery()}\n`);
}
