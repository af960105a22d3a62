#!/usr/bin/env node
// Runs every shipped scenario briefly (--duration-scale, default 0.3) with the HTML report and the
// Markdown summary, into reports/demo/<scenario>/. Usage: npm run demo-report [-- 0.5]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scale = process.argv[2] ?? '0.3';
const scenarios = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const written = [];
let failed = 0;
for (const file of scenarios) {
  const name = file.replace(/\.yaml$/, '');
  const output = join(root, 'reports', 'demo', name);
  process.stderr.write(`== ${file} (duration x${scale})\n`);
  const run = spawnSync(
    process.execPath,
    [join(root, 'dist', 'cli', 'main.js'), 'run', join('scenarios', file), '--duration-scale', scale, '--no-progress', '--html', '--summary', 'md', '--output', output],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // 0 passed, 1 a threshold failed: both wrote their report. Anything else is a problem.
  if (run.status === 0 || run.status === 1) written.push(join(output, 'report.html'));
  else {
    failed++;
    process.stderr.write(`   ${file}: exit ${run.status ?? run.signal}\n`);
  }
}
process.stdout.write(`${written.map((p) => `report: ${p}`).join('\n')}\n`);
process.exitCode = failed > 0 ? 1 : 0;
