import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { compileFilterPolicy, type SnsFilterMessage } from '../../../src/delivery/filter-policy.js';

type Attr = { Type: string; Value: string };
const str = (Value: string): Attr => ({ Type: 'String', Value });
const num = (Value: string | number): Attr => ({ Type: 'Number', Value: String(Value) });
const arr = (values: unknown[]): Attr => ({ Type: 'String.Array', Value: JSON.stringify(values) });
const attrs = (MessageAttributes: Record<string, Attr>): SnsFilterMessage => ({
  Message: 'x',
  MessageAttributes,
});
const body = (value: unknown): SnsFilterMessage => ({ Message: JSON.stringify(value) });

// The transaction message from SNS's "Example filter policies" page.
const transaction = attrs({
  customer_interests: arr(['soccer', 'rugby', 'hockey']),
  store: str('example_corp'),
  event: str('order_placed'),
  price_usd: num('210.75'),
});

describe('filter policies from the SNS documentation (MessageAttributes)', () => {
  it('accepts the example message with the documented accepting policy', () => {
    const accepts = compileFilterPolicy({
      store: ['example_corp'],
      event: [{ 'anything-but': 'order_cancelled' }],
      customer_interests: ['rugby', 'football', 'baseball'],
      price_usd: [{ numeric: ['>=', 100] }],
    });
    expect(accepts(transaction)).toBe(true);
  });

  it('rejects the example message with the documented rejecting policy', () => {
    const rejects = compileFilterPolicy({
      store: ['example_corp'],
      event: ['order_cancelled'],
      encrypted: [false],
      customer_interests: ['basketball', 'baseball'],
    });
    expect(rejects(transaction)).toBe(false);
  });

  it('exact string matching is OR within a key and case-sensitive', () => {
    const f = compileFilterPolicy({ customer_interests: ['rugby', 'tennis'] });
    expect(f(attrs({ customer_interests: str('rugby') }))).toBe(true);
    expect(f(attrs({ customer_interests: str('tennis') }))).toBe(true);
    expect(f(attrs({ customer_interests: str('baseball') }))).toBe(false);
    expect(f(attrs({ customer_interests: str('Rugby') }))).toBe(false);
  });

  it('prefix and suffix', () => {
    const prefix = compileFilterPolicy({ customer_interests: [{ prefix: 'bas' }] });
    expect(prefix(attrs({ customer_interests: str('baseball') }))).toBe(true);
    expect(prefix(attrs({ customer_interests: str('basketball') }))).toBe(true);
    expect(prefix(attrs({ customer_interests: str('rugby') }))).toBe(false);
    const suffix = compileFilterPolicy({ customer_interests: [{ suffix: 'ball' }] });
    expect(suffix(attrs({ customer_interests: str('baseball') }))).toBe(true);
    expect(suffix(attrs({ customer_interests: str('rugby') }))).toBe(false);
  });

  it('anything-but with values, including a String.Array holding one other value', () => {
    const f = compileFilterPolicy({ customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] });
    expect(f(attrs({ customer_interests: str('baseball') }))).toBe(true);
    expect(f(attrs({ customer_interests: str('football') }))).toBe(true);
    expect(f(attrs({ customer_interests: arr(['rugby', 'baseball']) }))).toBe(true);
    expect(f(attrs({ customer_interests: str('rugby') }))).toBe(false);
    expect(f(attrs({}))).toBe(false); // an absent key matches nothing but exists:false
  });

  it('anything-but with a prefix', () => {
    const f = compileFilterPolicy({ event: [{ 'anything-but': { prefix: 'order-' } }] });
    expect(f(attrs({ event: str('data-entry') }))).toBe(true);
    expect(f(attrs({ event: str('order_number') }))).toBe(true);
    expect(f(attrs({ event: str('order-cancelled') }))).toBe(false);
  });

  it('numeric anything-but, exact match and ranges', () => {
    const notIn = compileFilterPolicy({ price: [{ 'anything-but': [100, 500] }] });
    expect(notIn(attrs({ price: num(101) }))).toBe(true);
    expect(notIn(attrs({ price: num(100.1) }))).toBe(true);
    expect(notIn(attrs({ price: { Type: 'Number.Array', Value: '[100, 50]' } }))).toBe(true);
    expect(notIn(attrs({ price: num(100) }))).toBe(false);

    const equals = compileFilterPolicy({ price_usd: [{ numeric: ['=', 301.5] }] });
    expect(equals(attrs({ price_usd: num('301.5') }))).toBe(true);
    expect(equals(attrs({ price_usd: num('3.015e2') }))).toBe(true);
    expect(equals(attrs({ price_usd: num('301.6') }))).toBe(false);

    const negative = compileFilterPolicy({ price_usd: [{ numeric: ['<', 0] }] });
    expect(negative(attrs({ price_usd: num(-1) }))).toBe(true);
    expect(negative(attrs({ price_usd: num(0) }))).toBe(false);

    const range = compileFilterPolicy({ price_usd: [{ numeric: ['>', 0, '<=', 150] }] });
    expect(range(attrs({ price_usd: num(150) }))).toBe(true);
    expect(range(attrs({ price_usd: num(0.5) }))).toBe(true);
    expect(range(attrs({ price_usd: num(0) }))).toBe(false);
    expect(range(attrs({ price_usd: num(150.00001) }))).toBe(false);
    // A String attribute is not a number, even when it reads like one.
    expect(range(attrs({ price_usd: str('100') }))).toBe(false);
  });

  it('exists true and false', () => {
    const has = compileFilterPolicy({ store: [{ exists: true }] });
    const hasNot = compileFilterPolicy({ store: [{ exists: false }] });
    const withStore = attrs({ store: str('fans'), customer_interests: arr(['baseball', 'basketball']) });
    const withoutStore = attrs({ customer_interests: arr(['baseball', 'basketball']) });
    expect(has(withStore)).toBe(true);
    expect(has(withoutStore)).toBe(false);
    expect(hasNot(withStore)).toBe(false);
    expect(hasNot(withoutStore)).toBe(true);
  });

  it('equals-ignore-case', () => {
    const f = compileFilterPolicy({ customer_interests: [{ 'equals-ignore-case': 'tennis' }] });
    expect(f(attrs({ customer_interests: str('TeNnIs') }))).toBe(true);
    expect(f(attrs({ customer_interests: str('tennis ball') }))).toBe(false);
  });

  it('AND across keys', () => {
    const f = compileFilterPolicy({ customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] });
    expect(f(attrs({ customer_interests: str('rugby'), price_usd: num(101) }))).toBe(true);
    expect(f(attrs({ customer_interests: str('rugby'), price_usd: num(100) }))).toBe(false);
    expect(f(attrs({ customer_interests: str('rugby') }))).toBe(false);
  });

  it('$or across keys, and "$or" as a plain key name when it is not the operator', () => {
    const f = compileFilterPolicy({
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    });
    expect(f(attrs({ source: str('aws.cloudwatch'), metricName: str('CPUUtilization') }))).toBe(true);
    expect(f(attrs({ source: str('aws.cloudwatch'), namespace: str('AWS/EC2') }))).toBe(true);
    expect(f(attrs({ source: str('aws.cloudwatch'), namespace: str('AWS/EBS') }))).toBe(false);
    expect(f(attrs({ metricName: str('CPUUtilization') }))).toBe(false);

    const plainKey = compileFilterPolicy({ $or: ['a', 'b'] });
    expect(plainKey(attrs({ $or: str('b') }))).toBe(true);
    expect(plainKey(attrs({ $or: str('c') }))).toBe(false);
  });

  it('Binary attributes exist but are never compared', () => {
    const bin = attrs({ blob: { Type: 'Binary', Value: 'AAEC' } });
    expect(compileFilterPolicy({ blob: [{ exists: true }] })(bin)).toBe(true);
    expect(compileFilterPolicy({ blob: ['AAEC'] })(bin)).toBe(false);
  });
});

describe('filter policies on the message body (FilterPolicyScope MessageBody)', () => {
  it('matches nested keys, arrays in the body, booleans and null', () => {
    const f = compileFilterPolicy(
      { store: { country: ['us'], open: [true] }, tags: [{ prefix: 'sale' }], coupon: [null] },
      'MessageBody',
    );
    expect(f(body({ store: { country: 'us', open: true }, tags: ['new', 'sale-2024'], coupon: null }))).toBe(
      true,
    );
    expect(f(body({ store: { country: 'de', open: true }, tags: ['sale'], coupon: null }))).toBe(false);
    expect(f(body({ store: { country: 'us', open: false }, tags: ['sale'], coupon: null }))).toBe(false);
    expect(f(body({ store: { country: 'us', open: true }, tags: ['new'], coupon: null }))).toBe(false);
    expect(f(body({ store: 'us', tags: ['sale'], coupon: null }))).toBe(false);
  });

  it('numeric matching on body numbers and exists false on a missing nested key', () => {
    const f = compileFilterPolicy(
      { price_usd: [{ numeric: ['=', 301.5] }], store: { manager: [{ exists: false }] } },
      'MessageBody',
    );
    expect(f(body({ price_usd: 3.015e2 }))).toBe(true);
    expect(f(body({ price_usd: 301.5, store: { name: 'x' } }))).toBe(true);
    expect(f(body({ price_usd: 301.5, store: { manager: 'ann' } }))).toBe(false);
    expect(f(body({ price_usd: '301.5' }))).toBe(false);
  });

  it('a body that is not a JSON object never matches', () => {
    const f = compileFilterPolicy({ a: [{ exists: false }] }, 'MessageBody');
    expect(f({ Message: 'plain text' })).toBe(false);
    expect(f({ Message: '[1,2]' })).toBe(false);
    expect(f(body({}))).toBe(true);
  });

  it('$or inside a nested key', () => {
    const f = compileFilterPolicy(
      { order: { $or: [{ status: ['paid'] }, { total: [{ numeric: ['>=', 1000] }] }] } },
      'MessageBody',
    );
    expect(f(body({ order: { status: 'paid', total: 5 } }))).toBe(true);
    expect(f(body({ order: { status: 'open', total: 1000 } }))).toBe(true);
    expect(f(body({ order: { status: 'open', total: 999 } }))).toBe(false);
  });
});

describe('malformed policies are rejected up front, naming the field', () => {
  const cases: Array<[string, unknown, string, ('MessageAttributes' | 'MessageBody')?]> = [
    [
      'a value that is not a list',
      { store: 'example_corp' },
      'filterPolicy.store: expected an array of match values',
    ],
    ['an empty list', { store: [] }, 'filterPolicy.store: expected at least one match value'],
    [
      'nested keys on attributes',
      { store: { name: ['x'] } },
      'filterPolicy.store: nested keys are only allowed',
    ],
    ['an unknown operator', { a: [{ contains: 'x' }] }, 'filterPolicy.a[0]: unknown operator "contains"'],
    [
      'two operators in one object',
      { a: [{ prefix: 'x', suffix: 'y' }] },
      'filterPolicy.a[0]: an operator object has exactly one',
    ],
    ['a numeric operator that is not one', { a: [{ numeric: ['~', 1] }] }, 'filterPolicy.a[0].numeric[0]'],
    [
      'a range upside down',
      { a: [{ numeric: ['>', 10, '<', 5] }] },
      'the lower bound must be below the upper bound',
    ],
    [
      'a number out of range',
      { a: [{ numeric: ['>', 2e9] }] },
      'filterPolicy.a[0].numeric[1]: numbers must be between',
    ],
    ['exists with a string', { a: [{ exists: 'yes' }] }, 'filterPolicy.a[0].exists: expected true or false'],
    ['prefix with a number', { a: [{ prefix: 5 }] }, 'filterPolicy.a[0].prefix: expected a string'],
    [
      'anything-but with a suffix',
      { a: [{ 'anything-but': { suffix: 'x' } }] },
      'filterPolicy.a[0].anything-but',
    ],
    ['cidr', { ip: [{ cidr: '10.0.0.0/24' }] }, 'cidr) matching is not supported'],
    ['a policy that is not an object', ['a'], 'filterPolicy: expected a JSON object'],
    ['JSON text that does not parse', '{"a": [', 'filterPolicy: not valid JSON'],
  ];
  for (const [what, policy, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => compileFilterPolicy(policy)).toThrow(InputError);
      expect(() => compileFilterPolicy(policy)).toThrow(message);
    });
  }

  it('rejects a policy over 150 value combinations', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `v${i}`);
    expect(compileFilterPolicy({ a: ten, b: ten })(attrs({ a: str('v1'), b: str('v9') }))).toBe(true);
    expect(() => compileFilterPolicy({ a: ten, b: ten, c: ['x', 'y'] })).toThrow(/combines 200 values/);
  });

  it('places the error in the scenario file when told where the policy came from', () => {
    try {
      compileFilterPolicy({ a: [{ exists: 1 }] }, 'MessageAttributes', {
        file: 'scenario.yaml',
        line: 12,
        column: 9,
        field: 'sources.orders.subscriptions[0].filterPolicy',
      });
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).toLine()).toBe(
        'scenario.yaml:12:9: sources.orders.subscriptions[0].filterPolicy.a[0].exists: expected true or false',
      );
      expect((error as InputError).exitCode).toBe(2);
    }
  });
});
