/**
 * Every shipped scenario loads — thresholds included, which are parsed and checked against the
 * scenario's functions at load time — so a renamed function cannot leave a scenario that exits 2.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/index.js';

const SCENARIOS = 'scenarios';
const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'));

describe('shipped scenarios', () => {
  it.each(files)('%s loads with its thresholds', async (file) => {
    const scenario = await loadScenario(path.join(SCENARIOS, file));
    for (const t of scenario.expect) expect(t.expression.length).toBeGreaterThan(0);
  });
});
