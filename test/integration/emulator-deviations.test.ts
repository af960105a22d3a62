/**
 * Where the local emulator differs from Lambda, it says so: with its init bound reached, an invoke
 * waits for an environment where Lambda would have started one; on a saturated host it prefers an
 * environment that frees within the grace over a cold start. deviations() counts both — the local
 * target turns them into a results note. Needs the build (the runtime client).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createEmulator } from '../../src/emulator/index.js';
import { deviationNote } from '../../src/targets/local.js';

const FUNCTIONS = join(import.meta.dirname, '../fixtures/run/orphans/functions');

describe('local deviations from Lambda', () => {
  it('a burst past the init bound waits, and is counted; one within it is not', async () => {
    const em = await createEmulator({ cpuLimiter: 'off', maxConcurrentInits: 1 });
    try {
      await em.createFunction({
        functionName: 'nap',
        codeDir: FUNCTIONS,
        handler: 'nap.handler',
        runtime: 'nodejs20.x',
      });
      await em.invoke({ functionName: 'nap', payload: '{"ms":0}' });
      expect(em.deviations().waitedForEnvironment).toBe(0);
      expect(deviationNote(em.deviations())).toBeUndefined();
      // One environment exists; three calls at once need two more, and only one may init at a time.
      await Promise.all([1, 2, 3].map(() => em.invoke({ functionName: 'nap', payload: '{"ms":300}' })));
      const d = em.deviations();
      expect(d.concurrentInits).toBe(1);
      expect(d.waitedForEnvironment).toBeGreaterThanOrEqual(1);
      expect(d.waitMsMax).toBeGreaterThan(0);
      expect(deviationNote(d)).toMatch(
        /^local: \d+ invoke\(s\) waited for an execution environment \(at most 1 inits at once, at most 64 environments; wait mean [\d.]+ ms, max \d+ ms\), where Lambda would have started one for each/,
      );
    } finally {
      await em.close();
    }
  });

  it('on a saturated host, an invoke that finds every environment busy takes one that frees in the grace', async () => {
    for (const graceMs of [3000, 50, 0]) {
      const em = await createEmulator({ cpuLimiter: 'off', saturatedGraceMs: graceMs });
      try {
        for (const name of ['nap', 'other'])
          await em.createFunction({
            functionName: name,
            codeDir: FUNCTIONS,
            handler: 'nap.handler',
            runtime: 'nodejs20.x',
          });
        await em.invoke({ functionName: 'nap', payload: '{"ms":0}' });
        // The one environment of `nap` is busy for 300 ms; `other` starts cold meanwhile (the host
        // is initialising an environment: saturated), and then one more call of `nap` arrives.
        const busy = em.invoke({ functionName: 'nap', payload: '{"ms":300}' });
        const cold = em.invoke({ functionName: 'other', payload: '{"ms":0}' });
        await new Promise((resolve) => setTimeout(resolve, 30));
        const late = await em.invoke({ functionName: 'nap', payload: '{"ms":0}' });
        expect((await cold).cold).toBe(true);
        expect((await busy).cold).toBe(false);
        const d = em.deviations();
        if (graceMs === 50) {
          // The grace ran out 250 ms before the busy environment freed: a cold start 50 ms late.
          expect(late.cold).toBe(true);
          expect(d.reusedInGrace).toBe(0);
          expect(d.graceExpired).toBe(1);
          expect(d.waitedForEnvironment).toBe(0);
          expect(deviationNote(d)).toMatch(
            /1 invoke\(s\) waited the 50 ms grace in vain and started an environment that much later/,
          );
        } else if (graceMs > 0) {
          // It waited for the busy environment instead of starting a second one, and says so.
          expect(late.cold).toBe(false);
          expect(d.reusedInGrace).toBe(1);
          expect(d.graceExpired).toBe(0);
          expect(d.reuseWaitMsTotal).toBeGreaterThan(100);
          expect(deviationNote(d)).toMatch(
            /1 invoke\(s\) found every environment busy while this host was saturated and reused one that freed within 3000 ms \(wait mean [\d.]+ ms\), where Lambda would have started one for each/,
          );
        } else {
          // No grace: a new environment at once, as on Lambda.
          expect(late.cold).toBe(true);
          expect(d.reusedInGrace).toBe(0);
        }
      } finally {
        await em.close();
      }
    }
  });

  it('LAMBENCH_SATURATED_GRACE_MS sets the grace; a value that is not a duration is refused by name', async () => {
    const saved = process.env.LAMBENCH_SATURATED_GRACE_MS;
    try {
      process.env.LAMBENCH_SATURATED_GRACE_MS = '0';
      const em = await createEmulator({ cpuLimiter: 'off' });
      expect(em.deviations().saturatedGraceMs).toBe(0);
      await em.close();
      process.env.LAMBENCH_SATURATED_GRACE_MS = 'soon';
      const refused = await createEmulator({ cpuLimiter: 'off' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(refused).toBeInstanceOf(InputError);
      expect((refused as InputError).message).toBe(
        "LAMBENCH_SATURATED_GRACE_MS: 'soon' is not a number of milliseconds; expected 0 (start an environment at once, as Lambda does) or more",
      );
    } finally {
      if (saved === undefined) delete process.env.LAMBENCH_SATURATED_GRACE_MS;
      else process.env.LAMBENCH_SATURATED_GRACE_MS = saved;
    }
  });
});
