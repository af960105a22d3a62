// Event generation throughput per source: events (or batch records) per second on one core,
// median of 5 timed runs after a warm-up. Runs against the built code: `npx tsc -p tsconfig.json`
// first, then `node bench/events.mjs [source…]`.
import { getGenerator, isBatchSource, listSources } from '../dist/events/index.js';

const RUNS = 5;
const RUN_MS = 400;
const WARMUP_MS = 300;

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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const wanted = process.argv.slice(2);
const sources = listSources().filter((g) => wanted.length === 0 || wanted.includes(g.source));
console.log(`node ${process.version}, ${RUNS} runs of ${RUN_MS} ms after ${WARMUP_MS} ms warm-up`);
console.log('source          unit        median/s     min/s     max/s');
for (const { source } of sources) {
  const g = getGenerator(source);
  const options = OPTIONS[source] ?? {};
  const rows = [['event', (i) => g.generate(g.defaultType, options, { seed: 1, index: i })]];
  if (isBatchSource(g)) {
    // Batches of 100 records, counted per record.
    rows.push(['record/b100', (i) => g.batch(100, options, { seed: 1, index: i * 100 })]);
  }
  for (const [unit, fn] of rows) {
    const scale = unit === 'event' ? 1 : 100;
    measure(fn, WARMUP_MS);
    const rates = Array.from({ length: RUNS }, () => measure(fn, RUN_MS) * scale);
    const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(10);
    console.log(
      `${source.padEnd(16)}${unit.padEnd(10)}${fmt(median(rates))}${fmt(Math.min(...rates))}${fmt(Math.max(...rates))}`,
    );
  }
}
