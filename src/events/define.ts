/**
 * The skeleton every source shares: type names and aliases, option-name checks with "did you
 * mean", `{{ }}` rendering of options, per-event seeding and the event time. A source only writes
 * `build` (one event) and, for pull sources, `record` (one record of a batch).
 */
import { closest, distance } from 'fastest-levenshtein';
import { InputError } from '../core/errors.js';
import { DEFAULT_SPACING_MS, eventTimeMs } from './common.js';
import { OptionReader } from './options.js';
import { EventRandom, Stream } from './random.js';
import { hasTemplates, renderDeep } from './template.js';
import type {
  BatchSourceGenerator,
  EventTypeInfo,
  GenerateContext,
  GeneratorOptions,
  SourceGenerator,
  SourceName,
} from './types.js';

export interface TypeDef extends EventTypeInfo {
  /** Other accepted spellings (matched ignoring case, `-`, `_`, `:` and spaces). */
  aliases?: readonly string[];
}

/** Everything a source needs to build one event or record. */
export interface Build {
  type: string;
  o: OptionReader;
  r: EventRandom;
  seed: number;
  index: number;
  /** Epoch ms of this event. */
  now: number;
}

interface Definition {
  source: SourceName;
  description: string;
  types: readonly TypeDef[];
  defaultType: string;
  options: readonly string[];
  /** Options the source renders itself (with its own seeding), left untouched here. */
  rawOptions?: readonly string[];
}

export interface PushDefinition<E> extends Definition {
  build(b: Build): E;
}

export interface PullDefinition<E, R> extends Definition {
  record(b: Build): R;
  wrap(records: R[]): E;
  shardOf(record: R): string;
}

export function definePushSource<E>(def: PushDefinition<E>): SourceGenerator<E> {
  const prepare = preparer(def);
  return {
    source: def.source,
    description: def.description,
    types: def.types,
    defaultType: def.defaultType,
    options: def.options,
    generate: (type, options, ctx) => def.build(prepare(type, options, ctx, ctx.index, eventTimeMs(ctx))),
  };
}

export function definePullSource<E, R>(def: PullDefinition<E, R>): BatchSourceGenerator<E, R> {
  const prepare = preparer(def);
  return {
    source: def.source,
    description: def.description,
    types: def.types,
    defaultType: def.defaultType,
    options: def.options,
    shardOf: def.shardOf,
    generate: (type, options, ctx) =>
      def.wrap([def.record(prepare(type, options, ctx, ctx.index, eventTimeMs(ctx)))]),
    batch(n, options, ctx, type) {
      if (!Number.isInteger(n) || n < 1) {
        throw new InputError(
          'EVENT_OPTION',
          `${def.source}: a batch needs a whole number of records ≥ 1, got ${n}`,
        );
      }
      const records: R[] = [];
      const start = eventTimeMs(ctx);
      for (let i = 0; i < n; i++) {
        const at =
          ctx.now === undefined
            ? eventTimeMs({ ...ctx, index: ctx.index + i })
            : start + i * DEFAULT_SPACING_MS;
        records.push(def.record(prepare(type ?? def.defaultType, options, ctx, ctx.index + i, at)));
      }
      return records;
    },
  };
}

type Prepare = (
  type: string,
  options: GeneratorOptions,
  ctx: GenerateContext,
  index: number,
  now: number,
) => Build;

function preparer(def: Definition): Prepare {
  const r = new EventRandom();
  const resolveType = typeResolver(def);
  const known = new Set(def.options);
  // Options objects are usually reused for every event of a source: check and scan them once.
  const checked = new WeakMap<object, boolean>();
  return (type, options, ctx, index, now) => {
    let templated = checked.get(options);
    if (templated === undefined) {
      checkOptionNames(def, known, options);
      templated = Object.entries(options).some(([k, v]) => !def.rawOptions?.includes(k) && hasTemplates(v));
      checked.set(options, templated);
    }
    let values = options;
    if (templated) {
      r.seed(ctx.seed, index, Stream.Templates);
      const scope = { faker: r.faker, index, now, vars: ctx.vars ?? {} };
      values = {};
      for (const [k, v] of Object.entries(options))
        values[k] = def.rawOptions?.includes(k) ? v : renderDeep(v, scope);
    }
    r.seed(ctx.seed, index, Stream.Defaults);
    return {
      type: resolveType(type),
      o: new OptionReader(def.source, values),
      r,
      seed: ctx.seed,
      index,
      now,
    };
  };
}

const normalize = (name: string) => name.toLowerCase().replace(/[-_:\s]/g, '');

function typeResolver(def: Definition): (type: string) => string {
  const byName = new Map<string, string>();
  for (const t of def.types) {
    byName.set(normalize(t.name), t.name);
    for (const alias of t.aliases ?? []) byName.set(normalize(alias), t.name);
  }
  return (type) => {
    const found = byName.get(normalize(type));
    if (found) return found;
    const names = def.types.map((t) => t.name);
    const spellings = def.types.flatMap((t) => [t.name, ...(t.aliases ?? [])]);
    throw new InputError(
      'UNKNOWN_EVENT_TYPE',
      `unknown ${def.source} event type "${type}"${didYouMean(type, spellings)}; valid types: ${names.join(', ')}`,
    );
  };
}

function checkOptionNames(def: Definition, known: Set<string>, options: GeneratorOptions): void {
  for (const name of Object.keys(options)) {
    if (known.has(name)) continue;
    throw new InputError(
      'UNKNOWN_OPTION',
      `unknown ${def.source} option "${name}"${didYouMean(name, def.options)}; valid options: ${def.options.join(', ')}`,
    );
  }
}

/** ` (did you mean "x"?)` for the closest candidate, or nothing when none is close. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const best = closest(input, [...candidates]);
  const limit = Math.max(2, Math.floor(best.length / 3));
  return distance(input.toLowerCase(), best.toLowerCase()) <= limit ? ` (did you mean "${best}"?)` : '';
}
