/**
 * DynamoDB attribute-value JSON, and the simulated table behind the stream generator.
 *
 * The table is pure: the item image of key k after its v-th write is a function of
 * (seed, k, v) alone. So a MODIFY's OldImage — image(k, v−1) — is exactly the NewImage that the
 * event which wrote version v−1 carried, however the events were generated (singly or in a batch,
 * in any order), and no state is kept between calls.
 */
import type { AttributeValue } from 'aws-lambda';
import { InputError } from '../core/errors.js';
import { EventRandom, hex, int, pick, uuid } from './random.js';
import { renderDeep } from './template.js';

export type Image = Record<string, AttributeValue>;

/** Converts a JSON value to DynamoDB JSON: numbers become N strings, as DynamoDB writes them. */
export function marshal(value: unknown, path = 'item'): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new InputError(
        'EVENT_OPTION',
        `dynamodb option "${path}": ${value} is not a number DynamoDB can store`,
      );
    return { N: String(value) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map((v, i) => marshal(v, `${path}[${i}]`)) };
  if (typeof value === 'object') {
    const m: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(value)) m[k] = marshal(v, `${path}.${k}`);
    return { M: m };
  }
  throw new InputError('EVENT_OPTION', `dynamodb option "${path}": cannot store a ${typeof value}`);
}

const CITIES = ['Berlin', 'Lisbon', 'Osaka', 'Austin', 'Nairobi', 'Lima', 'Oslo', 'Perth'];
const TAGS = ['new', 'vip', 'beta', 'churn-risk', 'newsletter', 'mobile', 'trial'];

export interface TableShape {
  seed: number;
  keyName: string;
  /** A user-supplied item (may hold templates), rendered per (key, version). */
  item: unknown;
  nowMs: number;
}

const imageRandom = new EventRandom();
/** Streams 0 and 1 belong to events; images use their own streams, one per version. */
const IMAGE_STREAM_BASE = 1000;

/** The key's identity: a stable UUID per key index and seed. */
export function keyValue(seed: number, keyIndex: number): string {
  return uuid(imageRandom.seed(seed, keyIndex, 999));
}

export function keysOf(shape: TableShape, keyIndex: number): Image {
  return { [shape.keyName]: { S: keyValue(shape.seed, keyIndex) } };
}

/** The full item of `keyIndex` after write number `version` (0 = the insert). */
export function imageOf(shape: TableShape, keyIndex: number, version: number, eventIndex: number): Image {
  const keys = keysOf(shape, keyIndex);
  const r = imageRandom.seed(shape.seed, keyIndex, IMAGE_STREAM_BASE + version);
  if (shape.item !== undefined) {
    const scope = { faker: r.faker, index: eventIndex, now: shape.nowMs, vars: {} };
    const rendered = renderDeep(shape.item, scope);
    const attrs = marshal(rendered);
    if (!attrs.M)
      throw new InputError('EVENT_OPTION', 'dynamodb option "item": expected an object of attributes');
    return { ...attrs.M, ...keys };
  }
  const f = r.faker;
  const tags = [...new Set([pick(r, TAGS), pick(r, TAGS)])];
  return {
    ...keys,
    name: { S: f.person.fullName() },
    email: { S: `${hex(r, 6)}@example.com` },
    score: { N: String(int(r, 0, 10_000)) },
    balance: { N: (int(r, 0, 1_000_000) / 100).toFixed(2) },
    active: { BOOL: r.next() < 0.8 },
    tags: { SS: tags },
    address: { M: { city: { S: pick(r, CITIES) }, zip: { S: String(int(r, 10000, 99999)) } } },
    version: { N: String(version + 1) },
  };
}
