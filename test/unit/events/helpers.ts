import { generate } from '../../../src/events/index.js';

/** The first record of a generated event that wraps its records in `Records`. */
export function firstRecord(
  source: string,
  type: string | undefined,
  options = {},
  index = 0,
  seed = 1,
): any {
  const event = generate(source, type, options, { seed, index }) as { Records: unknown[] };
  return event.Records[0];
}
