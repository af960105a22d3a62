// The suite's one table, in text for the terminal and Markdown for bench/README.md, plus JSON.
import { cells, markdownTable, ROW_HEADER, textTable } from './rows.mjs';
import { checkTargets, targetCells } from './targets.mjs';

const TARGET_HEADER = ['target', 'figures (same run)', 'ratio', 'verdict'];

/** The peers' figures side by side: one column per tool, one line per figure. */
const PEER_TOOLS = ['lambench-local', 'lambench-serve', 'fun', 'lambda-local', 'serverless-offline'];
const PEER_HEADS = [
  'lambench in-process',
  'lambench serve',
  '@vercel/fun',
  'lambda-local',
  'serverless-offline',
];
const PEER_LINES = [
  ['version', 'version'],
  ['cold start, ms', 'cold'],
  ['cold / bare node', 'cold-ratio'],
  ['trivial c1, /s', 'trivial.c1'],
  ['trivial c4, /s', 'trivial.c4'],
  ['trivial c4 p50 / p99', 'trivial.c4', 'latency'],
  ['20 ms CPU c1, /s', 'cpu.c1'],
  ['20 ms CPU c4, /s', 'cpu.c4'],
  ['RSS growth over the soak', 'rss-growth'],
  ['timeout (5 s sleep, 1 s limit)', 'outcome.timeout'],
  ['crash (process.exit)', 'outcome.crash'],
  ['OOM (640 MB at 128 MB)', 'outcome.oom'],
  ['4 calls at once after 10 s idle', 'outcome.idle'],
];

function peerMatrix(rows) {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const tools = PEER_TOOLS.filter((t) => [...byKey.keys()].some((k) => k.startsWith(`peers.${t}.`)));
  if (tools.length === 0) return undefined;
  const lines = PEER_LINES.map(([label, key, how]) => [
    label,
    ...tools.map((t) => {
      const r =
        byKey.get(`peers.${t}.${key}`) ?? (key === 'version' ? byKey.get(`peers.${t}.status`) : undefined);
      if (!r) return '—';
      if (how === 'latency') return (r.detail ?? '').replace(/p50 |p99 /g, '').replace(', ', ' / ');
      if (r.value === null) return r.text;
      const c = cells(r);
      // cells() already marks a percentage; a ratio gets its ×.
      const value = `${c[1]}${r.unit === '×' ? '×' : ''}`;
      return c[3] ? `${value} (${c[3].replace(/ \(\d+\)$/, '')})` : value;
    }),
  ]);
  const head = ['', ...tools.map((t) => PEER_HEADS[PEER_TOOLS.indexOf(t)])];
  return { head, lines };
}

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
    lines.push(`[${r.part}] ${r.about}${status}`);
    for (const row of r.rows) {
      const c = cells(row);
      lines.push([`  ${c[0]}`, ...c.slice(1)]);
      mdLines.push([r.part, ...c]);
    }
    if (r.code !== 0) mdLines.push([r.part, `FAILED (exit ${r.code})`, '', '', '', '']);
  }
  const targets = checkTargets(results.flatMap((r) => r.rows));
  const peers = peerMatrix(results.flatMap((r) => r.rows));
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
    markdownTable(TARGET_HEADER, targets.map(targetCells)),
    '',
    ...(peers
      ? ['Peers side by side (median, min–max of the runs):', '', markdownTable(peers.head, peers.lines), '']
      : []),
    'Every figure of the run:',
    '',
    markdownTable(['part', ...ROW_HEADER], mdLines),
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

const BEGIN = '<!-- suite:begin -->';
const END = '<!-- suite:end -->';

/** `text` with what stands between the suite markers replaced by `markdown`; undefined without markers. */
export function replaceBetweenMarkers(text, markdown) {
  const i = text.indexOf(BEGIN);
  const j = text.indexOf(END);
  if (i < 0 || j < i) return undefined;
  return `${text.slice(0, i + BEGIN.length)}\n${markdown}${text.slice(j)}`;
}
