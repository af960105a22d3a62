/**
 * `--prices file.json`: a price table for another region, currency or a negotiated rate. Any field
 * may be left out and keeps the built-in (us-east-1) value, so a file can be as small as
 * `{"region": "eu-central-1", "architectures": {"x86_64": {"durationTiers": [...]}}}`. Unknown
 * fields are errors: a misspelt price must not silently fall back to the default.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { fieldPath } from '../metrics/results-file.js';
import { type ArchitecturePrices, DEFAULT_PRICES, type PriceTable } from './prices.js';

const price = z
  .number({ message: 'expected a price in USD (a number ≥ 0)' })
  .nonnegative('expected a price ≥ 0');

const TierSchema = z.strictObject({
  upToGbSeconds: z
    .number({ message: 'expected GB-seconds per month (a number), or null for the last tier' })
    .positive()
    .nullable(),
  usdPerGbSecond: price,
});

const TiersSchema = z
  .array(TierSchema)
  .min(1, 'expected at least one tier')
  .superRefine((tiers, ctx) => {
    tiers.forEach((tier, i) => {
      const last = i === tiers.length - 1;
      if (last !== (tier.upToGbSeconds === null)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'upToGbSeconds'],
          message: last
            ? 'expected null: the last tier is open-ended'
            : 'expected a number: only the last tier is open-ended',
        });
      }
      const previous = tiers[i - 1]?.upToGbSeconds;
      if (previous != null && tier.upToGbSeconds !== null && tier.upToGbSeconds <= previous) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'upToGbSeconds'],
          message: `expected more than ${previous} (tiers ascend)`,
        });
      }
    });
  });

const ArchitectureSchema = z.strictObject({
  durationTiers: TiersSchema.optional(),
  provisionedUsdPerGbSecond: price.optional(),
  provisionedDurationUsdPerGbSecond: price.optional(),
});

const PriceFileSchema = z.strictObject({
  source: z.string().optional(),
  date: z.string().optional(),
  region: z.string().optional(),
  currency: z.string().optional(),
  requestUsd: price.optional(),
  ephemeralStorageUsdPerGbSecond: price.optional(),
  initBilledSince: z.iso.date({ message: 'expected a date as YYYY-MM-DD' }).optional(),
  architectures: z
    .strictObject({ x86_64: ArchitectureSchema.optional(), arm64: ArchitectureSchema.optional() })
    .optional(),
});

/** Reads a price file and lays it over the built-in table; problems are one InputError line (exit 2). */
export async function loadPriceTable(file: string): Promise<PriceTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new InputError(
      'PRICES_UNREADABLE',
      code === 'ENOENT' ? 'no such file; expected a JSON price table' : `cannot read it (${code})`,
      {
        position: { file },
        cause,
      },
    );
  }
  return parsePriceTable(text, file);
}

/** Validates price-table JSON text (`file` names it in errors) and lays it over the defaults. */
export function parsePriceTable(text: string, file: string): PriceTable {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new InputError('PRICES_NOT_JSON', `not valid JSON (${(cause as Error).message})`, {
      position: { file },
      cause,
    });
  }
  const parsed = PriceFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? fieldPath(issue.path) : '';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}`
        : (issue?.message ?? 'not a price table');
    throw new InputError('PRICES_INVALID', message, { position: field ? { file, field } : { file } });
  }
  const given = parsed.data;
  const merge = (arch: 'x86_64' | 'arm64'): ArchitecturePrices => {
    const base = DEFAULT_PRICES.architectures[arch];
    const over = given.architectures?.[arch] ?? {};
    return {
      durationTiers: over.durationTiers ?? base.durationTiers,
      provisionedUsdPerGbSecond: over.provisionedUsdPerGbSecond ?? base.provisionedUsdPerGbSecond,
      provisionedDurationUsdPerGbSecond:
        over.provisionedDurationUsdPerGbSecond ?? base.provisionedDurationUsdPerGbSecond,
    };
  };
  return {
    source: given.source ?? file,
    date: given.date ?? DEFAULT_PRICES.date,
    region: given.region ?? DEFAULT_PRICES.region,
    currency: given.currency ?? DEFAULT_PRICES.currency,
    requestUsd: given.requestUsd ?? DEFAULT_PRICES.requestUsd,
    ephemeralStorageUsdPerGbSecond:
      given.ephemeralStorageUsdPerGbSecond ?? DEFAULT_PRICES.ephemeralStorageUsdPerGbSecond,
    initBilledSince: given.initBilledSince ?? DEFAULT_PRICES.initBilledSince,
    architectures: { x86_64: merge('x86_64'), arm64: merge('arm64') },
  };
}
