// The benchmark suite. `npm run bench` runs every script in bench/ (each its own process, one after
// the other, so no part disturbs another's memory figures) and prints ONE table of their figures
// with the targets checked against references measured in the same run; `npm run bench -- <name>`
// runs one part and prints its rows. `--smoke` runs everything for about a second each (the CI
// check that no script rots). Each part follows the contract in bench/lib/rows.mjs.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cells, machine, ROW_HEADER, textTable } from './lib/rows.mjs';
import { replaceBetweenMarkers, suiteReport } from './lib/suite-report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Suite order: the machine's floors first, the long runs last; parts not listed follow by name. */
const ORDER = ['limits', 'events', 'recorder', 'scheduler', 'emulator', 'peers', 'harness'];
const parts = readdirSync(HERE)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.slice(0, -'.mjs'.length))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
function rank(name) {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
/** Takes `--flag value` out of the arguments; the rest go to the part. */
function take(flag) {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const [, value] = argv.splice(i, 2);
  return value;
}
const rowsFile = take('--rows'); // internal: where a part run by the suite writes its rows
const outDir = take('--out') ?? join(HERE, '..', 'reports', 'bench'); // the suite's table and logs
// --readme: the suite also puts its table into bench/README.md, between the suite markers.
const toReadme = argv.includes('--readme');
const args = argv.filter((a) => a !== '--smoke' && a !== '--readme');
const [name, ...partArgs] = args[0] && !args[0].startsWith('-') ? args : [undefined, ...args];

if (args.includes('--help') || args.includes('-h')) {
  console.log(
    `usage: npm run bench [-- --smoke] [--readme]  the whole suite, one table (--readme: also into bench/README.md)\n       npm run bench -- <name> [--smoke] [options]  one part\nparts: ${parts.join(', ')}`,
  );
  process.exit(0);
}
if (name === undefined) await suite();
else if (!parts.includes(name)) {
  console.error(`bench: no part named "${name}"; parts: ${parts.join(', ')}`);
  process.exit(2);
} else await one(name);

/** Runs one part in this process and prints (and, with --rows, writes) its rows. */
async function one(part) {
  const mod = await import(pathToFileURL(join(HERE, `${part}.mjs`)).href);
  if (typeof mod.run !== 'function') {
    console.error(
      `bench/${part}.mjs exports no run(args, { smoke }); see the contract in bench/lib/rows.mjs`,
    );
    process.exit(2);
  }
  const rows = await mod.run(partArgs, { smoke });
  if (!Array.isArray(rows)) {
    console.error(`bench/${part}.mjs: run() returned no rows; see the contract in bench/lib/rows.mjs`);
    process.exit(2);
  }
  console.log(
    `\n${part}${smoke ? ' (smoke: not a measurement)' : ''}\n${textTable(ROW_HEADER, rows.map(cells))}`,
  );
  if (rowsFile) writeFileSync(rowsFile, JSON.stringify({ part, about: mod.about ?? '', rows }));
  // Benchmarks leave handles (agents, pools) the suite does not need to wait for.
  process.exit(0);
}

/** Every part in turn, each in its own process; its output goes to a log, its rows to the table. */
async function suite() {
  mkdirSync(outDir, { recursive: true });
  const scratch = join(tmpdir(), `lambench-bench-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const started = new Date();
  const before = machine();
  const results = [];
  console.error(
    `lambench bench suite${smoke ? ' (smoke)' : ''}: ${parts.join(', ')}; each part's output in ${outDir}/<part>.log`,
  );
  try {
    for (const part of parts) {
      const t = Date.now();
      const file = join(scratch, `${part}.json`);
      const code = await runPart(part, file, join(outDir, `${part}.log`));
      const seconds = (Date.now() - t) / 1000;
      let result = { part, about: '', rows: [] };
      try {
        result = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // No rows: the part failed; the table says so.
      }
      results.push({ ...result, code, seconds });
      console.error(
        `  ${part.padEnd(12)} ${code === 0 ? 'ok    ' : `FAILED (exit ${code})`} ${seconds.toFixed(0)} s, ${result.rows.length} rows`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const report = suiteReport({
    results,
    smoke,
    started,
    finished: new Date(),
    machineBefore: before,
    machineAfter: machine(),
    command: `npm run bench${smoke ? ' -- --smoke' : ''}`,
  });
  console.log(report.text);
  writeFileSync(join(outDir, 'suite.md'), report.markdown);
  // Smoke figures measure nothing: they never go into the README.
  if (toReadme && !smoke) writeReadme(report.markdown);
  writeFileSync(join(outDir, 'suite.json'), `${JSON.stringify(report.json, null, 2)}\n`);
  console.error(`\nwritten: ${join(outDir, 'suite.md')} (the table for bench/README.md) and suite.json`);
  process.exit(results.every((r) => r.code === 0) ? 0 : 1);
}

/** Puts this run's table into bench/README.md, between the suite markers. */
function writeReadme(markdown) {
  const file = join(HERE, 'README.md');
  const text = replaceBetweenMarkers(readFileSync(file, 'utf8'), markdown);
  if (text === undefined)
    console.error('bench/README.md has no suite markers; the table was not written there');
  else {
    writeFileSync(file, text);
    console.error('written: the table into bench/README.md');
  }
}

function runPart(part, rowsPath, logPath) {
  return new Promise((resolve) => {
    const log = createWriteStream(logPath);
    const child = spawn(
      process.execPath,
      [fileURLToPath(import.meta.url), part, '--rows', rowsPath, ...(smoke ? ['--smoke'] : [])],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('close', (code, signal) => {
      log.end();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
