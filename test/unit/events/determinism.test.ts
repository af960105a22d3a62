import { describe, expect, it } from 'vitest';
import { generate, listSources } from '../../../src/events/index.js';

const cases = listSources().flatMap((g) => g.types.map((t) => [g.source, t.name] as const));

describe('determinism and variety', () => {
  it.each(cases)(
    '%s %s: same seed and index give the same bytes; indexes and seeds differ',
    (source, type) => {
      const at = (seed: number, index: number) => JSON.stringify(generate(source, type, {}, { seed, index }));
      expect(at(11, 5)).toBe(at(11, 5));
      const distinct = new Set(Array.from({ length: 10 }, (_, i) => at(11, i)));
      expect(distinct.size).toBe(10);
      expect(at(12, 5)).not.toBe(at(11, 5));
    },
  );

  it('uses ctx.now for event times when given', () => {
    const now = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
    const s3 = generate('s3', 'put', {}, { seed: 1, index: 0, now }) as any;
    expect(s3.Records[0].eventTime).toBe('2030-01-02T03:04:05.678Z');
    const eb = generate('eventbridge', 'scheduled', {}, { seed: 1, index: 0, now }) as any;
    expect(eb.time).toBe('2030-01-02T03:04:05Z');
  });

  it('rejects unknown sources, types and options with the valid choices', () => {
    expect(() => generate('kinesys', undefined, {}, { seed: 1, index: 0 })).toThrow(/did you mean "kinesis"/);
    expect(() => generate('s3', 'pt', {}, { seed: 1, index: 0 })).toThrow(/did you mean "put".*valid types/);
    expect(() => generate('sqs', undefined, { bdy: 'x' }, { seed: 1, index: 0 })).toThrow(
      /unknown sqs option "bdy" \(did you mean "body"\?\)/,
    );
  });
});
