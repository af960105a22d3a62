/**
 * Fuzzing the loader: whatever the text, loading ends in a Scenario or an InputError (exit code 2,
 * one line per problem, no stack trace) — never any other exception.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { ExitCode, InputError } from '../../../src/core/errors.js';
import { loadScenarioText } from '../../../src/scenario/index.js';

const GOOD = path.resolve('test/fixtures/scenarios/good');
const goods = readdirSync(GOOD)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(path.join(GOOD, f), 'utf8')) as unknown);

/** Loads and classifies: 'ok', 'input-error', or rethrows anything else (the property fails). */
function outcome(text: string, set: string[] = []): 'ok' | 'input-error' {
  try {
    loadScenarioText(text, path.join(GOOD, 'fuzz.yaml'), { set });
    return 'ok';
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    expect(err.exitCode).toBe(ExitCode.BadInput);
    const line = err.toLine();
    expect(line.length).toBeGreaterThan(0);
    expect(line).not.toMatch(/\n\s+at |undefined:|\[object Object\]/);
    return 'input-error';
  }
}

const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'name',
        'functions',
        'sources',
        'load',
        'to',
        'memory',
        'duration',
        'arrivalRate',
        's3',
        '{{',
        '}}',
      ),
      fc.constantFrom(
        ':',
        ' ',
        '  ',
        '\n',
        '- ',
        '[',
        ']',
        '{',
        '}',
        ',',
        '"',
        "'",
        '&a',
        '*a',
        '!tag',
        '#',
        '<<',
        '|',
        '>',
      ),
      fc.string({ maxLength: 6 }),
      fc.integer().map(String),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Mutation = { at: number; kind: 'delete' | 'rename' | 'retype'; name: string; value: Json };

/** Every (container, key) pair in a document, depth first. */
function slots(doc: Json): [Record<string, Json> | Json[], string | number][] {
  const out: [Record<string, Json> | Json[], string | number][] = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) {
        out.push([v, i]);
        walk(x);
      }
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push([v, k]);
        walk(x);
      }
    }
  };
  walk(doc);
  return out;
}

/**
 * Applies one mutation. Values are copied in: fast-check hands out the same constant objects to
 * every run, and a later mutation of a shared one could make the document cyclic.
 */
function mutate(doc: Json, m: Mutation): void {
  const all = slots(doc);
  const slot = all[m.at % Math.max(1, all.length)];
  if (!slot) return;
  const [container, key] = slot;
  if (Array.isArray(container)) {
    if (m.kind === 'delete') container.splice(Number(key), 1);
    else container[Number(key)] = structuredClone(m.value);
    return;
  }
  const k = String(key);
  const old = container[k] ?? null;
  if (m.kind === 'delete') delete container[k];
  else if (m.kind === 'rename') {
    delete container[k];
    container[m.name] = old;
  } else container[k] = structuredClone(m.value);
}

const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 20_000 }),
  fc.double({ noNaN: true }),
  fc.constantFrom(
    '',
    '1s',
    '30',
    '1GB',
    'hello',
    'nodejs22.x',
    '{{ index }}',
    '{{ nope',
    'uniform',
    '../data/users.csv',
  ),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
  fc.constant<Json>([{ duration: '1s', arrivalRate: 1 }]),
);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'rename', 'retype'),
  name: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('tmeout', 'lod', 'sns', 'to', 'pause', 'rampTo'),
  ),
  value: jsonValue,
});

describe('loader fuzzing', () => {
  test('random YAML-ish text gives a Scenario or an InputError, nothing else', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        outcome(text);
      }),
      { numRuns: 400 },
    );
  });

  test('mutated good scenarios (keys deleted, renamed, retyped) give a Scenario or an InputError', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.nat({ max: goods.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (g, ms) => {
          const doc = structuredClone(goods[g]) as Json;
          for (const m of ms) mutate(doc, m);
          seen.add(outcome(stringify(doc)));
        },
      ),
      { numRuns: 400 },
    );
    // The mutations must exercise both outcomes, or the property proves little.
    expect(seen).toEqual(new Set(['ok', 'input-error']));
  });

  test('random --set arguments give a Scenario or an InputError', () => {
    const text = readFileSync(path.join(GOOD, 'photo-pipeline.yaml'), 'utf8');
    const arg = fc
      .tuple(
        fc.constantFrom(
          'sources.uploads.load[0].arrivalRate',
          'functions.views.memory',
          'sources["x.y"]',
          'seed',
          'a[',
          '[0]',
          '',
        ),
        fc.constantFrom('=', '', '=='),
        fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('[1, 2', '{a: 1}', '10', '2m', '- x')),
      )
      .map(([p, eq, v]) => `${p}${eq}${v}`);
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 3 }), (set) => {
        outcome(text, set);
      }),
      { numRuns: 200 },
    );
  });
});
