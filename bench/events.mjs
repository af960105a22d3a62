// Event generation throughput per source: events (or batch records) per second on one core,
// median of 5 timed runs after a warm-up.
// Run: npm run bench -- events [source…]
import { getGenerator, isBatchSource, listSources } from '../dist/events/index.js';
import { row, spread } from './lib/rows.mjs';

export const about = 'event generation per source, one core';

/** Scenario-like options per source: fixed names, defaults for the varied fields. */
const OPTIONS = {
  s3: { bucket: 'photos' },
  sns: { topic: 'orders' },
  apigateway: { method: 'GET', path: '/photos/1' },
  kinesis: { stream: 'clicks', shards: 4 },
  dynamodb: { table: 'users' },
  sqs: { queue: 'jobs' },
  eventbridge: {},
  cloudformation: {},
  alexa: {},
};

function measure(fn, ms) {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 500; i++) fn(n++);
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

export async function run(args, { smoke } = { smoke: false }) {
  // Smoke: every source for a moment (about a second in all), to prove the script runs.
  const [runs, runMs, warmupMs] = smoke ? [1, 40, 20] : [5, 400, 300];
  const wanted = args.filter((a) => !a.startsWith('-'));
  const sources = listSources().filter((g) => wanted.length === 0 || wanted.includes(g.source));
  console.log(`node ${process.version}, ${runs} runs of ${runMs} ms after ${warmupMs} ms warm-up`);
  console.log('source          unit        median/s     min/s     max/s');
  const rows = [];
  for (const { source } of sources) {
    const g = getGenerator(source);
    const options = OPTIONS[source] ?? {};
    const kinds = [['event', (i) => g.generate(g.defaultType, options, { seed: 1, index: i })]];
    if (isBatchSource(g)) {
      // Batches of 100 records, counted per record.
      kinds.push(['record/b100', (i) => g.batch(100, options, { seed: 1, index: i * 100 })]);
    }
    for (const [unit, fn] of kinds) {
      const scale = unit === 'event' ? 1 : 100;
      measure(fn, warmupMs);
      const rates = Array.from({ length: runs }, () => measure(fn, runMs) * scale);
      const s = spread(rates);
      const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(10);
      console.log(`${source.padEnd(16)}${unit.padEnd(10)}${fmt(s.median)}${fmt(s.min)}${fmt(s.max)}`);
      const batch = unit !== 'event';
      rows.push(
        row(
          `events.${source}${batch ? '.batch100' : ''}`,
          `${source} ${batch ? 'records, batches of 100' : 'events'}`,
          s,
          batch ? 'records/s' : 'events/s',
        ),
      );
    }
  }
  return rows;
}
