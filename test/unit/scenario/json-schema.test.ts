/**
 * `lambench schema` output: a draft 2020-12 JSON Schema that editors can use. Every good fixture
 * must validate against it, and typical mistakes must not. The validator below covers exactly
 * the keywords the schema uses (and fails loudly on any other, so it cannot silently pass).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { scenarioJsonSchema } from '../../../src/scenario/index.js';
import { runCli } from '../../helpers/cli.js';

type Schema = Record<string, unknown>;
const KNOWN = new Set([
  '$schema',
  'title',
  'description',
  'default',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'minItems',
  'anyOf',
  'enum',
  'const',
  'pattern',
  'minLength',
  'minimum',
  'maximum',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Problems of `value` against `schema`, as `path: keyword` strings. */
function validate(schema: Schema, value: unknown, at = '$'): string[] {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`validator does not know ${k}`);
  const errs: string[] = [];
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = types.includes(t) || (types.includes('number') && t === 'integer');
    if (!ok) return [`${at}: type ${String(schema.type)}`];
  }
  if (schema.const !== undefined && schema.const !== value) errs.push(`${at}: const`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errs.push(`${at}: enum`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      errs.push(`${at}: pattern`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      errs.push(`${at}: minLength`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errs.push(`${at}: minimum`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errs.push(`${at}: maximum`);
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s: Schema) => validate(s, value, at).length === 0)) {
    errs.push(`${at}: anyOf`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errs.push(`${at}: minItems`);
    if (schema.items) {
      for (const [i, v] of value.entries()) errs.push(...validate(schema.items as Schema, v, `${at}[${i}]`));
    }
  }
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errs.push(`${at}.${r}: required`);
    for (const [k, v] of Object.entries(obj)) {
      if (schema.propertyNames) errs.push(...validate(schema.propertyNames as Schema, k, `${at}.${k}(name)`));
      const sub = props[k];
      if (sub) errs.push(...validate(sub, v, `${at}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${at}.${k}: additionalProperties`);
      else if (typeof schema.additionalProperties === 'object') {
        errs.push(...validate(schema.additionalProperties as Schema, v, `${at}.${k}`));
      }
    }
  }
  return errs;
}

const GOOD = 'test/fixtures/scenarios/good';
const goodFiles = readdirSync(GOOD).filter((f) => f.endsWith('.yaml'));

describe('scenario JSON Schema', () => {
  const schema = scenarioJsonSchema();

  test('is draft 2020-12 and closed to unknown top-level keys', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name']);
  });

  test.each(goodFiles)('good/%s validates', (file) => {
    const doc: unknown = parse(readFileSync(path.join(GOOD, file), 'utf8'));
    expect(validate(schema, doc)).toEqual([]);
  });

  test.each([
    ['an unknown key', { name: 'x', sourcez: {} }, '$.sourcez: additionalProperties'],
    ['a duration without unit', { name: 'x', run: { grace: 10 } }, '$.run.grace: type string'],
    ['a memory out of range', { name: 'x', functions: { f: { memory: 64 } } }, '$.functions.f.memory: anyOf'],
    ['a bad runtime', { name: 'x', functions: { f: { runtime: 'java21' } } }, '$.functions.f.runtime: enum'],
    [
      'a bad distribution',
      { name: 'x', sources: { s: { distribution: 'even' } } },
      '$.sources.s.distribution: enum',
    ],
  ])('rejects %s', (_what, doc, problem) => {
    expect(validate(schema, doc)).toContain(problem);
  });
});

describe('lambench schema', () => {
  test('prints the JSON Schema on stdout and exits 0', async () => {
    // Act
    const { code, out } = await runCli('schema');

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(scenarioJsonSchema());
  });
});
