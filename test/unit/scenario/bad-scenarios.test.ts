/**
 * The corpus of bad scenario files: each `bad/<name>.yaml` sits next to `bad/<name>.expect`, the
 * exact lines the CLI prints (file:line:col: field: message), one per problem. `# set:` comments
 * in a fixture are passed as --set arguments.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ExitCode, InputError } from '../../../src/core/errors.js';
import { loadScenario } from '../../../src/scenario/index.js';

const ROOT = 'test/fixtures/scenarios';
const BAD = path.join(ROOT, 'bad');
const fixtures = readdirSync(BAD)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('bad scenario files', () => {
  test('the corpus covers at least 15 kinds of mistake, each with its expected output', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    for (const f of fixtures) expect(readdirSync(BAD)).toContain(f.replace(/\.yaml$/, '.expect'));
  });

  test.each(fixtures)('%s is rejected with exit code 2 and the expected lines', async (fixture) => {
    // Prepare
    const file = path.join(BAD, fixture);
    const text = readFileSync(file, 'utf8');
    const set = [...text.matchAll(/^# set: (.*)$/gm)].map((m) => m[1] ?? '');
    const expected = readFileSync(file.replace(/\.yaml$/, '.expect'), 'utf8')
      .trimEnd()
      .split('\n');

    // Act
    const error = await loadScenario(file, { set }).then(
      () => undefined,
      (err: unknown) => err,
    );

    // Assess
    expect(error).toBeInstanceOf(InputError);
    const input = error as InputError;
    expect(input.exitCode).toBe(ExitCode.BadInput);
    const lines = input.toLine().replaceAll(`${ROOT}/`, '').split('\n');
    expect(lines).toEqual(expected);
    expect(input.toLine()).not.toMatch(/\n\s+at /);
  });
});
