// Recorder micro-benchmark: records 1M synthetic attempts (with their arrivals and outcomes)
// against the built recorder in dist/, and prints records/s and RSS after 100k and 1M.
// Run: npm run bench -- recorder
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createHistogram } from '../dist/metrics/histogram.js';
import { createRecorder } from '../dist/metrics/recorder.js';
import { row } from './lib/rows.mjs';

export const about = 'the metrics recorder alone: attempts/s and RSS over 1M attempts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const RATE_PER_S = 5000; // synthetic arrival rate: spreads the run over 200 virtual seconds

// Virtual time: the recorder reads the clock only for elapsed time and the live snapshot.
let nowMs = 0;
const clock = { now: () => nowMs, wallNow: () => Date.now(), setTimer: () => () => {} };

const keys = ['s3', 'sns', 'apigw', 'sqs'].map((source, i) => ({
  source,
  functionName: 'resize',
  qualifier: `mem-${128 << i}`,
  memoryMB: 128 << i,
}));
const payload = new Uint8Array();

function record(recorder, from, to) {
  for (let id = from; id < to; id++) {
    const key = keys[id & 3];
    const intended = (id * 1000) / RATE_PER_S;
    const latency = 5 + (id % 97) * 0.37 + (id % 1009 === 0 ? 900 : 0);
    const cold = id % 500 === 0;
    const status = id % 211 === 0 ? 'function-error' : id % 307 === 0 ? 'throttled' : 'ok';
    nowMs = intended + latency;
    recorder.arrival(key, id, intended);
    recorder.attempt({
      key,
      eventId: id,
      attempt: 1,
      intendedStartMs: intended,
      startMs: intended + 0.05,
      endMs: nowMs,
      result: {
        status,
        payload,
        callLatencyUs: latency * 1000,
        cold,
        durationMs: latency - 1,
        billedDurationMs: Math.ceil(latency - 1),
        maxMemoryUsedMB: 70 + (id % 13),
        ...(cold ? { initDurationMs: 250 } : {}),
        ...(status === 'function-error' ? { errorType: 'Error' } : {}),
      },
    });
    recorder.outcome({
      key,
      eventId: id,
      bucket: status === 'ok' ? 'succeeded' : status === 'throttled' ? 'dropped' : 'failed',
      attempts: 1,
      intendedStartMs: intended,
      endMs: nowMs,
    });
    if ((id & 1023) === 0) recorder.snapshot(); // a progress display polling now and then
  }
}

export async function run(_args, { smoke } = { smoke: false }) {
  // Smoke: 20k attempts (checkpoints at 2k and 20k) instead of 1M.
  const TOTAL = smoke ? 20_000 : 1_000_000;
  const CHECKPOINTS = smoke ? [2_000, TOTAL] : [100_000, 250_000, 500_000, TOTAL];
  // Reference measured in the same run: bare recordValue on one histogram.
  const bare = createHistogram('us');
  let t = performance.now();
  for (let i = 0; i < TOTAL; i++) bare.recordValue(5000 + (i % 97) * 370);
  const bareRate = TOTAL / ((performance.now() - t) / 1000);

  const MB = 1024 * 1024;
  function memory() {
    gc();
    const m = process.memoryUsage();
    return {
      rss: m.rss / MB,
      heapTotal: m.heapTotal / MB,
      heapUsed: m.heapUsed / MB,
      arrayBuffers: m.arrayBuffers / MB,
    };
  }

  const fmt = (n) => Math.round(n).toLocaleString('en');
  console.log(
    `node ${process.version}, ${fmt(TOTAL)} attempts (each with its arrival and outcome), 4 series keys`,
  );
  console.log(`bare hdr recordValue (reference): ${fmt(bareRate)} values/s`);
  const start = memory();
  console.log(`before: RSS ${start.rss.toFixed(1)} MB`);
  const recorder = createRecorder({ clock });
  const rows = [];
  let done = 0;
  let recordMs = 0;
  for (const checkpoint of CHECKPOINTS) {
    t = performance.now();
    record(recorder, done, checkpoint);
    const ms = performance.now() - t;
    recordMs += ms;
    const m = memory();
    rows.push({ at: checkpoint, ...m });
    console.log(
      `after ${fmt(checkpoint).padStart(9)}: ${fmt(((checkpoint - done) / ms) * 1000).padStart(9)} attempts/s | ` +
        `RSS ${m.rss.toFixed(1)} MB, heapTotal ${m.heapTotal.toFixed(1)} MB, heapUsed ${m.heapUsed.toFixed(1)} MB, ` +
        `arrayBuffers ${m.arrayBuffers.toFixed(1)} MB`,
    );
    done = checkpoint;
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  const growth = (field) => (((last[field] - first[field]) / first[field]) * 100).toFixed(1);
  console.log(`mean: ${((recordMs * 1000) / TOTAL).toFixed(2)} us per attempt (+ arrival + outcome)`);
  console.log(
    `growth ${fmt(CHECKPOINTS[0])} -> ${fmt(TOTAL)}: RSS ${growth('rss')}%, heapUsed ${growth('heapUsed')}%, ` +
      `heapUsed+arrayBuffers ${(((last.heapUsed + last.arrayBuffers - first.heapUsed - first.arrayBuffers) / (first.heapUsed + first.arrayBuffers)) * 100).toFixed(1)}%`,
  );
  t = performance.now();
  const point = recorder.finish();
  const finishMs = performance.now() - t;
  console.log(
    `finish(): ${finishMs.toFixed(0)} ms, point JSON ${(JSON.stringify(point).length / 1024).toFixed(0)} KB, ` +
      `ledger balanced: ${point.ledger.balanced}`,
  );
  return [
    row('recorder.bare-record', 'bare hdr recordValue (reference)', bareRate, 'values/s'),
    row(
      'recorder.rate',
      'recorder, attempts with arrival and outcome',
      TOTAL / (recordMs / 1000),
      'attempts/s',
    ),
    row('recorder.us-per-attempt', 'recorder, time per attempt', (recordMs * 1000) / TOTAL, 'µs'),
    row(
      'recorder.rss-growth',
      `RSS growth ${fmt(CHECKPOINTS[0])} → ${fmt(TOTAL)} attempts`,
      ((last.rss - first.rss) / first.rss) * 100,
      '%',
      `${first.rss.toFixed(1)} → ${last.rss.toFixed(1)} MB`,
    ),
    row(
      'recorder.finish',
      'finish() of the point',
      finishMs,
      'ms',
      `ledger balanced: ${point.ledger.balanced}`,
    ),
  ];
}
