import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, InputError } from '../../../src/core/errors.js';
import { DEFAULT_PRICES, loadPriceTable, parsePriceTable } from '../../../src/cost/index.js';

function lineOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(ExitCode.BadInput);
    return (error as InputError).toLine();
  }
  throw new Error('expected an InputError');
}

describe('parsePriceTable', () => {
  it('lays a partial file over the built-in table', () => {
    const table = parsePriceTable(
      JSON.stringify({
        region: 'eu-central-1',
        requestUsd: 0.0000003,
        architectures: { arm64: { durationTiers: [{ upToGbSeconds: null, usdPerGbSecond: 0.00001 }] } },
      }),
      'prices.json',
    );
    expect(table.region).toBe('eu-central-1');
    expect(table.source).toBe('prices.json');
    expect(table.requestUsd).toBe(0.0000003);
    expect(table.architectures.arm64.durationTiers).toEqual([
      { upToGbSeconds: null, usdPerGbSecond: 0.00001 },
    ]);
    expect(table.architectures.arm64.provisionedUsdPerGbSecond).toBe(
      DEFAULT_PRICES.architectures.arm64.provisionedUsdPerGbSecond,
    );
    expect(table.architectures.x86_64).toEqual(DEFAULT_PRICES.architectures.x86_64);
  });

  it('names the file and field of a bad price in one line', () => {
    const text = JSON.stringify({
      architectures: { x86_64: { durationTiers: [{ upToGbSeconds: null, usdPerGbSecond: 'cheap' }] } },
    });
    expect(lineOf(() => parsePriceTable(text, 'prices.json'))).toBe(
      'prices.json: architectures.x86_64.durationTiers[0].usdPerGbSecond: expected a price in USD (a number ≥ 0)',
    );
    expect(lineOf(() => parsePriceTable('{"requestUsd": -1}', 'p.json'))).toBe(
      'p.json: requestUsd: expected a price ≥ 0',
    );
  });

  it('rejects unknown fields, tiers out of order, an open tier before the last, and non-JSON', () => {
    expect(lineOf(() => parsePriceTable('{"requestPrice": 1}', 'p.json'))).toBe(
      'p.json: unknown field(s) requestPrice',
    );
    const tiers = (t: unknown) => JSON.stringify({ architectures: { x86_64: { durationTiers: t } } });
    expect(
      lineOf(() =>
        parsePriceTable(
          tiers([
            { upToGbSeconds: 10, usdPerGbSecond: 1 },
            { upToGbSeconds: 5, usdPerGbSecond: 1 },
            { upToGbSeconds: null, usdPerGbSecond: 1 },
          ]),
          'p.json',
        ),
      ),
    ).toBe(
      'p.json: architectures.x86_64.durationTiers[1].upToGbSeconds: expected more than 10 (tiers ascend)',
    );
    expect(lineOf(() => parsePriceTable(tiers([{ upToGbSeconds: 10, usdPerGbSecond: 1 }]), 'p.json'))).toBe(
      'p.json: architectures.x86_64.durationTiers[0].upToGbSeconds: expected null: the last tier is open-ended',
    );
    expect(lineOf(() => parsePriceTable('{', 'p.json'))).toMatch(/^p\.json: not valid JSON/);
  });
});

describe('loadPriceTable', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lambench-prices-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file, and says so plainly when it is missing', async () => {
    const file = join(dir, 'prices.json');
    await writeFile(file, JSON.stringify({ currency: 'EUR' }));
    expect((await loadPriceTable(file)).currency).toBe('EUR');
    await expect(loadPriceTable(join(dir, 'nope.json'))).rejects.toThrow(/no such file/);
  });
});
