/**
 * `lambench events <source> [type] [--option value …]` prints generated events as JSON: pretty for
 * one event, one per line with --count > 1. Like `sam local generate-event`, but seeded and varied.
 * For kinesis, dynamodb and sqs, --count N builds a batch of N records and prints one event per
 * shard (or FIFO message group), at most --batch-size records each, as Lambda would receive them.
 */
import type { Argv } from 'yargs';
import { InputError } from '../../core/errors.js';
import { didYouMean } from '../../events/define.js';
import { getGenerator, isBatchSource, listSources } from '../../events/index.js';
import type {
  BatchSourceGenerator,
  GenerateContext,
  GeneratorOptions,
  SourceGenerator,
} from '../../events/types.js';
import type { CommandFactory } from '../command.js';
import { type Io, outputClosed } from '../io.js';

/** Flags of the command itself; everything else is an option of the source. */
const OWN = new Set([
  'count',
  'seed',
  'list',
  'now',
  'batch-size',
  'help',
  'version',
  '_',
  '$0',
  'source',
  'type',
]);
/** Singular CLI flags for the options that take `k=v` repeats. */
const ALIASES: Record<string, string> = {
  header: 'headers',
  slot: 'slots',
  attribute: 'attributes',
  resource: 'resources',
};

interface EventsArgs {
  source?: string;
  type?: string;
  count: number;
  seed: number;
  list?: boolean;
  now?: string;
  'batch-size'?: number;
  [key: string]: unknown;
}

export const eventsCommand: CommandFactory = (io) => ({
  command: 'events [source] [type]',
  describe: 'Print generated AWS events as JSON (seeded; see --list)',
  builder: (y: Argv) =>
    y
      .strict(false)
      .parserConfiguration({
        'parse-numbers': false,
        'parse-positional-numbers': false,
        'camel-case-expansion': false,
      })
      .positional('source', { type: 'string', describe: 'event source (s3, sns, apigateway, kinesis, …)' })
      .positional('type', { type: 'string', describe: 'event type of the source (see --list)' })
      .option('count', { type: 'number', default: 1, describe: 'events (or batch records) to generate' })
      .option('seed', { type: 'number', default: 1, describe: 'seed: the same seed prints the same events' })
      .option('now', { type: 'string', describe: 'event time of the first event (ISO 8601 or epoch ms)' })
      .option('batch-size', {
        type: 'number',
        describe: 'records per printed event for kinesis, dynamodb, sqs',
      })
      .option('list', { type: 'boolean', describe: 'list every source and event type' })
      .example('$0 events s3 put --bucket photos --key "red flower.jpg"', 'one S3 notification')
      .example('$0 events kinesis --shards 4 --count 100', 'a batch of 100 records, one event per shard'),
  handler: (args) => {
    const argv = args as unknown as EventsArgs;
    if (argv.list) return printList(io);
    if (!argv.source) {
      throw new InputError(
        'USAGE',
        `name an event source: ${listSources()
          .map((g) => g.source)
          .join(', ')} (or --list)`,
      );
    }
    const generator = getGenerator(argv.source);
    const options = sourceOptions(generator, argv);
    const count = wholeNumber('count', argv.count, 1_000_000);
    const ctx: GenerateContext = {
      seed: wholeNumber('seed', argv.seed, Number.MAX_SAFE_INTEGER, 0),
      index: 0,
    };
    if (argv.now !== undefined) ctx.now = parseNow(argv.now);
    const type = argv.type ?? generator.defaultType;
    if (count > 1 && isBatchSource(generator))
      return printBatches(io, generator, type, count, options, ctx, argv);
    if (count === 1) return write(io, JSON.stringify(generator.generate(type, options, ctx), null, 2));
    for (let i = 0; i < count && !outputClosed(io.stdout); i++) {
      const at: GenerateContext = { ...ctx, index: i };
      if (ctx.now !== undefined) at.now = ctx.now + i * 10;
      write(io, JSON.stringify(generator.generate(type, options, at)));
    }
  },
});

/** Maps `--partition-key v` to `{ partitionKey: v }`, rejecting flags the source does not take. */
function sourceOptions(generator: SourceGenerator, argv: EventsArgs): GeneratorOptions {
  const options: GeneratorOptions = {};
  const flags = generator.options.map(toKebab);
  for (const [flag, value] of Object.entries(argv)) {
    if (OWN.has(flag)) continue;
    const name = ALIASES[flag] && generator.options.includes(ALIASES[flag]) ? ALIASES[flag] : toCamel(flag);
    if (!generator.options.includes(name)) {
      throw new InputError(
        'UNKNOWN_OPTION',
        `unknown ${generator.source} option "--${flag}"${didYouMean(flag, flags).replace('"', '"--')}; valid options: ${flags.map((f) => `--${f}`).join(' ')}`,
      );
    }
    options[name] = value;
  }
  return options;
}

function printBatches(
  io: Io,
  generator: BatchSourceGenerator,
  type: string,
  count: number,
  options: GeneratorOptions,
  ctx: GenerateContext,
  argv: EventsArgs,
): void {
  const batchSize =
    argv['batch-size'] === undefined ? count : wholeNumber('batch-size', argv['batch-size'], 10_000);
  const groups = new Map<string, unknown[]>();
  for (const record of generator.batch(count, options, ctx, type)) {
    if (outputClosed(io.stdout)) return;
    const shard = generator.shardOf(record);
    const group = groups.get(shard) ?? [];
    groups.set(shard, group);
    group.push(record);
    if (group.length === batchSize) {
      write(io, JSON.stringify({ Records: group }));
      groups.set(shard, []);
    }
  }
  for (const group of groups.values()) if (group.length) write(io, JSON.stringify({ Records: group }));
}

function printList(io: Io): void {
  for (const g of listSources()) {
    write(io, `${g.source.padEnd(16)}${g.description}`);
    for (const t of g.types) {
      const mark = t.name === g.defaultType ? ' (default)' : '';
      write(io, `  ${t.name.padEnd(44)}${t.description}${mark}`);
    }
    write(io, `  options: ${g.options.map((o) => `--${toKebab(o)}`).join(' ')}`);
  }
}

function wholeNumber(flag: string, value: unknown, max: number, min = 1): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(
      'USAGE',
      `--${flag}: expected a whole number from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return n;
}

function parseNow(text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw new InputError('USAGE', `--now: expected ISO 8601 or epoch ms, got "${text}"`);
  return ms;
}

const toKebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const toCamel = (flag: string) => flag.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function write(io: Io, line: string): void {
  io.stdout.write(`${line}\n`);
}
