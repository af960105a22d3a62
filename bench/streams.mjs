// Stream benchmark: how many records per second the in-memory Kinesis stream and its event source
// mapping sustain into a no-op function on the embedded emulator at batch size 500, with the
// harness's CPU per record (this process: producer, stream, mapping, recorder, emulator front end)
// and the function environments' CPU per record (their processes, from /proc). The producer keeps
// the stream ahead of the mapping (up to MAX_BACKLOG records waiting), so the figure is what the
// mapping drains, not what a producer offers.
//
// Why 8 shards: one shard is read at most 10,000 records per GetRecords and 5 reads a second (a
// read every 200 ms while behind, as Kinesis allows), i.e. 50,000 records/s, and its batches are
// strictly sequential (the next waits for the previous invoke, as on AWS). Several shards (or
// ParallelizationFactor) keep several batches in flight, which is how a real consumer reaches
// high rates; the 1-shard figure beside it shows that per-shard bound.
//
// Reference measured in the same run: generating the same records with the Kinesis event generator
// (what a run pays per record before the stream). A warm-up run (not counted) starts the
// environments and compiles the hot paths first.
// Run: npm run bench -- streams [--records 1000000] [--shards 8] [--runs 3] [--single-runs 3]

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../dist/core/clock.js';
import { compileFilterCriteria } from '../dist/delivery/stream/filter-criteria.js';
import { kinesisAdapter } from '../dist/delivery/stream/record-adapters.js';
import { createStreamMapping } from '../dist/delivery/stream/stream-mapping.js';
import { createEmulator } from '../dist/emulator/index.js';
import { kinesisGenerator } from '../dist/events/kinesis.js';
import { createRecorder } from '../dist/metrics/recorder.js';
import { createLocalTarget } from '../dist/targets/local.js';
import { cpuBetween, descendantsCpu } from './lib/descendants-cpu.mjs';
import { median } from './lib/measure.mjs';
import { option, row, spread } from './lib/rows.mjs';

export const about =
  'in-memory Kinesis stream + mapping into a no-op function: records/s at batch 500, harness CPU per record';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Records waiting in the stream past which the producer pauses (keeps memory bounded). */
const MAX_BACKLOG = 200_000;

export async function run(args, { smoke } = { smoke: false }) {
  const total = smoke ? 20_000 : option(args, 'records', 1_000_000);
  const shards = option(args, 'shards', 8);
  const runs = smoke ? 1 : option(args, 'runs', 3);
  const singleRuns = smoke ? 1 : option(args, 'single-runs', 3);
  const options = { stream: 'bench', shards, partitionKey: 'user-{{ index }}', data: '{"action":"view"}' };
  // A pool of distinct generated records; each put gets a fresh copy (the stream stamps the arrival
  // time into the record), so the producer costs ~0.1 µs per record, not the generator's ~5 µs.
  const pool = kinesisGenerator.batch(Math.min(total, 50_000), options, { seed: 1, index: 0 });

  const refStart = performance.now();
  const refN = smoke ? 5_000 : 100_000;
  kinesisGenerator.batch(refN, options, { seed: 2, index: 0 });
  const generatorRate = refN / ((performance.now() - refStart) / 1000);

  const api = await createEmulator({ idleTimeoutMs: 60_000 });
  const target = createLocalTarget({ api });
  const fn = {
    name: 'noop',
    handler: 'noop.handler',
    codeDir: join(HERE, 'functions'),
    runtime: 'nodejs20.x',
    timeoutS: 30,
    environment: {},
  };
  await target.ensureFunction(fn);
  const qualifier = await target.prepare(fn, { memoryMB: 1769 });
  const rates = [];
  const cpuPerRecord = [];
  const ages = [];
  const fnCpuPerRecord = [];
  const singleRates = [];
  try {
    const warm = await once(target, qualifier, pool, Math.min(total, 200_000), shards);
    console.log(`warm-up (not counted): ${Math.round(warm.rate).toLocaleString('en-US')} records/s`);
    for (let r = 0; r < runs; r++) {
      const result = await once(target, qualifier, pool, total, shards);
      rates.push(result.rate);
      cpuPerRecord.push(result.cpuUsPerRecord);
      ages.push(result.maxAgeMs);
      if (result.fnCpuUsPerRecord !== undefined) fnCpuPerRecord.push(result.fnCpuUsPerRecord);
      console.log(
        `run ${r + 1}: ${Math.round(result.rate).toLocaleString('en-US')} records/s, ${result.cpuUsPerRecord.toFixed(2)} µs CPU/record${result.fnCpuUsPerRecord === undefined ? '' : ` (+ ${result.fnCpuUsPerRecord.toFixed(2)} µs in the functions)`}, ${result.batches} batches (mean ${(total / result.batches).toFixed(0)}), IteratorAge max ${result.maxAgeMs.toFixed(0)} ms`,
      );
    }
    for (let r = 0; r < singleRuns; r++) {
      const single = await once(target, qualifier, pool, Math.min(total, 300_000), 1);
      singleRates.push(single.rate);
      console.log(
        `1 shard, run ${r + 1}: ${Math.round(single.rate).toLocaleString('en-US')} records/s, ${single.cpuUsPerRecord.toFixed(2)} µs CPU/record`,
      );
    }
  } finally {
    await target.close();
  }
  const rate = spread(rates);
  return [
    row(
      'streams.kinesis.batch500.records-per-s',
      `records/s into a no-op at batch 500 (${shards} shards)`,
      rate,
      '/s',
      'target ≥ 100,000',
    ),
    row('streams.kinesis.batch500.cpu-us-per-record', 'harness CPU per record', spread(cpuPerRecord), 'µs'),
    ...(fnCpuPerRecord.length > 0
      ? [
          row(
            'streams.kinesis.batch500.function-cpu-us-per-record',
            'function environments CPU per record',
            spread(fnCpuPerRecord),
            'µs',
            'runtime client: read + JSON.parse of the batch',
          ),
        ]
      : []),
    row('streams.kinesis.batch500.iterator-age-max', 'IteratorAge max', spread(ages), 'ms'),
    ...(singleRates.length > 0
      ? [
          row(
            'streams.kinesis.batch500.one-shard.records-per-s',
            'records/s with 1 shard (bound: 10,000 records a read, 5 reads/s)',
            spread(singleRates),
            '/s',
          ),
        ]
      : []),
    row('streams.reference.generator', 'reference: Kinesis generator records/s', generatorRate, '/s'),
    row('streams.ratio', 'stream+mapping ÷ generator', median(rates) / generatorRate, '×'),
  ];
}

/** A fresh record for one put: its own `kinesis` object, the rest shared with the pool. */
function copyOf(record) {
  return { ...record, kinesis: { ...record.kinesis } };
}

async function once(target, qualifier, pool, total, shards) {
  const clock = systemClock;
  const recorder = createRecorder({ clock });
  const key = { source: 'bench', functionName: 'noop', qualifier, memoryMB: 1769 };
  const mapping = createStreamMapping(
    { target, sink: recorder, clock, key },
    {
      config: {
        kind: 'kinesis',
        batchSize: 500,
        batchingWindowMs: 0,
        parallelizationFactor: 1,
        startingPosition: 'TRIM_HORIZON',
        bisectBatchOnFunctionError: false,
        maximumRetryAttempts: -1,
        maximumRecordAgeMs: -1,
        reportBatchItemFailures: false,
        tumblingWindowMs: 0,
        pollIntervalMs: 100,
        retentionMs: 86_400_000,
        streamArn: '',
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:noop',
      },
      shards,
      // Capacity of the mapping, not of a provisioned stream: 100,000 records/s would need 100 shards.
      writeLimits: false,
      adapter: kinesisAdapter,
      filter: compileFilterCriteria('kinesis', []),
      filterCount: 0,
    },
  );
  const fnCpuStart = descendantsCpu();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let put = 0;
  while (put < total) {
    if (mapping.stats.open > MAX_BACKLOG) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    const end = Math.min(total, put + 5_000);
    const now = clock.now();
    for (; put < end; put++) mapping.put(put, now, copyOf(pool[put % pool.length]));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await mapping.settled();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const fnCpuUs = cpuBetween(fnCpuStart, descendantsCpu());
  mapping.stop();
  const stats = mapping.stats.results();
  const maxAgeMs = Math.max(0, ...stats.perSecond.map((s) => s.maxIteratorAgeMs ?? 0));
  recorder.finish();
  return {
    rate: total / seconds,
    cpuUsPerRecord: (cpu.user + cpu.system) / total,
    fnCpuUsPerRecord: fnCpuUs === undefined ? undefined : fnCpuUs / total,
    batches: stats.batches,
    maxAgeMs,
  };
}
