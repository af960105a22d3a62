/**
 * The scenario's `local:` block reaches the embedded emulator: `saturatedGrace` sets the grace a
 * saturated host gives a busy environment (over LAMBENCH_SATURATED_GRACE_MS), and the target's
 * notes, which results.json carries, say which rule ran whenever it is not the default.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import { createTarget } from '../../src/targets/create.js';
import type { Target } from '../../src/targets/types.js';

const scenario = (local: string) =>
  loadScenarioText(
    [
      'name: local-settings',
      local,
      'functions:',
      '  nap: { handler: ../fixtures/run/orphans/functions/nap.handler }',
      'sources:',
      '  ping: { invoke: {}, to: nap, load: [{ duration: 1s, arrivalRate: 1 }] }',
    ].join('\n'),
    `${import.meta.dirname}/local-settings.yaml`,
  );

async function notesOf(local: string): Promise<string[]> {
  const target: Target = await createTarget(scenario(local), { outputDir: '.', onLog() {} });
  const notes = [...target.info.notes];
  await target.close();
  return notes;
}

let saved: string | undefined;
beforeEach(() => {
  saved = process.env.LAMBENCH_SATURATED_GRACE_MS;
  delete process.env.LAMBENCH_SATURATED_GRACE_MS;
});
afterEach(() => {
  if (saved === undefined) delete process.env.LAMBENCH_SATURATED_GRACE_MS;
  else process.env.LAMBENCH_SATURATED_GRACE_MS = saved;
});

describe('local: in a scenario', () => {
  it('saturatedGrace: 0ms is Lambda’s rule, and the target notes say so', async () => {
    expect(await notesOf('local: { saturatedGrace: 0ms }')).toEqual([
      "local: saturated-host grace 0 ms: every invoke that finds its function's environments busy starts one, as Lambda does",
    ]);
  });

  it('another grace is named with the default; the scenario wins over the environment variable', async () => {
    process.env.LAMBENCH_SATURATED_GRACE_MS = '0';
    expect(await notesOf('local: { saturatedGrace: 20ms }')).toEqual([
      'local: saturated-host grace 20 ms (default 1 ms): on a saturated host an invoke waits that long for a busy environment before starting one',
    ]);
  });

  it('without it the default runs and no note is added; the environment variable still applies', async () => {
    expect(await notesOf('')).toEqual([]);
    process.env.LAMBENCH_SATURATED_GRACE_MS = '0';
    expect((await notesOf(''))[0]).toMatch(/^local: saturated-host grace 0 ms/);
  });
});
