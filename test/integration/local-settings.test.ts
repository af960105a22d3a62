/**
 * The scenario's `local:` block reaches the embedded emulator: `saturatedGrace` sets the grace a
 * saturated host gives a busy environment (over LAMBENCH_SATURATED_GRACE_MS), and the target's
 * notes, which results.json carries, say which rule ran whenever it is not the default;
 * `cpuLimiter` picks the CPU limiter (over LAMBENCH_CPU_LIMITER), which results name.
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

async function infoOf(local: string): Promise<Target['info']> {
  const target: Target = await createTarget(scenario(local), { outputDir: '.', onLog() {} });
  const info = structuredClone(target.info);
  await target.close();
  return info;
}
const notesOf = async (local: string) => (await infoOf(local)).notes;

const VARIABLES = ['LAMBENCH_SATURATED_GRACE_MS', 'LAMBENCH_CPU_LIMITER'] as const;
const saved = new Map<string, string | undefined>();
beforeEach(() => {
  for (const v of VARIABLES) {
    saved.set(v, process.env[v]);
    delete process.env[v];
  }
});
afterEach(() => {
  for (const v of VARIABLES) {
    const value = saved.get(v);
    if (value === undefined) delete process.env[v];
    else process.env[v] = value;
  }
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

  it('cpuLimiter picks the limiter results name, over LAMBENCH_CPU_LIMITER', async () => {
    expect((await infoOf('local: { cpuLimiter: off }')).cpuLimiter).toBe('off');
    process.env.LAMBENCH_CPU_LIMITER = 'off';
    expect((await infoOf('local: { cpuLimiter: duty-cycle }')).cpuLimiter).toBe('duty-cycle');
    expect((await infoOf('')).cpuLimiter).toBe('off');
  });
});
