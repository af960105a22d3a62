// The suite's one table, in text for the terminal and Markdown for bench/README.md, plus JSON.
import { cells, markdownTable, ROW_HEADER, textTable } from './rows.mjs';
import { checkTargets, targetCells } from './targets.mjs';

const TARGET_HEADER = ['target', 'figures (same run)', 'ratio', 'verdict'];

/** Builds the report of one suite run from each part's rows. */
export function suiteReport({ results, smoke, started, finished, machineBefore, machineAfter, command }) {
  const minutes = ((finished - started) / 60_000).toFixed(1);
  const head = [
    `command: ${command}${smoke ? '   (SMOKE RUN: figures prove the scripts run, they measure nothing)' : ''}`,
    `started ${started.toISOString()}, ${minutes} min`,
    `machine: ${machineBefore.cpu}, ${machineBefore.memoryGiB} GiB, Linux ${machineBefore.kernel}, node ${machineBefore.node}`,
    `load average (1/5/15 min): ${machineBefore.loadavg} at start, ${machineAfter.loadavg} at end`,
  ];
  const lines = [];
  const mdLines = [];
  for (const r of results) {
    const status = r.code === 0 ? '' : `  FAILED (exit ${r.code}, see ${r.part}.log beside suite.md)`;
    lines.push([`[${r.part}] ${r.about}${status}`, '', '', '', '']);
    for (const row of r.rows) {
      const c = cells(row);
      lines.push([`  ${c[0]}`, ...c.slice(1)]);
      mdLines.push([r.part, ...c]);
    }
    if (r.code !== 0) mdLines.push([r.part, `FAILED (exit ${r.code})`, '', '', '', '']);
  }
  const targets = checkTargets(results.flatMap((r) => r.rows));
  const text = [
    '',
    ...head,
    '',
    textTable(ROW_HEADER, lines),
    '',
    textTable(TARGET_HEADER, targets.map(targetCells)),
  ].join('\n');
  const markdown = [
    ...head.map((h) => `- ${h}`),
    '',
    markdownTable(['part', ...ROW_HEADER], mdLines),
    '',
    markdownTable(TARGET_HEADER, targets.map(targetCells)),
    '',
  ].join('\n');
  return {
    text,
    markdown,
    json: {
      command,
      smoke,
      started,
      finished,
      machine: { before: machineBefore, after: machineAfter },
      results,
      targets,
    },
  };
}
