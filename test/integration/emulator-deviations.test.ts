/**
 * Where the local emulator differs from Lambda, it says so: with its init bound reached, an invoke
 * waits for an environment where Lambda would have started one, and deviations() counts it — the
 * local target turns that into a results note. Needs the build (the runtime client).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
