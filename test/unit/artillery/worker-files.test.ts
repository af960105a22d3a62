/**
 * What a distributed Artillery worker must be shipped to load a scenario (`config.includeFiles`),
 * and the engine configuration that tells it where the scenario and the functions are.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEngineConfig } from '../../../src/artillery/engine-session.js';
import { includeFiles, relativeFrom, scenarioInputs } from '../../../src/artillery/worker-files.js';
import { loadScenario } from '../../../src/scenario/index.js';
import { caughtInputError } from '../../helpers/input-error.js';
import { tempDir } from '../../helpers/temp-dir.js';

const BUNDLE = join(import.meta.dirname, '..', '..', 'fixtures', 'artillery', 'bundle');

describe('scenarioInputs', () => {
  it('lists the scenario, its SAM template, the code folder, the CSV and the processor with its imports', async () => {
    // Prepare
    const scenario = await loadScenario(join(BUNDLE, 'scenario.yaml'));

    // Act
    const inputs = scenarioInputs(scenario, join(BUNDLE, '..', 'elsewhere'));

    // Assess
    expect(inputs.sort()).toEqual(
      [
        'scenario.yaml',
        'template.yaml',
        'code',
        'data/users.csv',
        'processors/build.mjs',
        'processors/shape.mjs',
      ]
        .map((f) => join(BUNDLE, f))
        .sort(),
    );
  });

  it('on target aws ships the handler file (the loader infers the runtime from it), not the code folder', async () => {
    // Prepare
    const scenario = await loadScenario(join(BUNDLE, 'scenario.yaml'));
    scenario.target = 'aws';

    // Act
    const inputs = scenarioInputs(scenario, join(BUNDLE, '..', 'elsewhere'));

    // Assess
    expect(inputs).toContain(join(BUNDLE, 'code', 'echo.mjs'));
    expect(inputs).not.toContain(join(BUNDLE, 'code'));
  });

  it('never ships the run itself: a code folder that holds the output folder is listed entry by entry', async () => {
    // Prepare: a handler at the project root, the run's output under it
    const project = tempDir('lambench-worker-files-');
    writeFileSync(join(project, 'index.mjs'), 'export const handler = async () => 1;\n');
    writeFileSync(join(project, 'helper.mjs'), 'export const x = 1;\n');
    mkdirSync(join(project, 'node_modules', 'dep'), { recursive: true });
    mkdirSync(join(project, '.git'));
    mkdirSync(join(project, 'reports', 'run-1'), { recursive: true });
    writeFileSync(
      join(project, 'scenario.yaml'),
      'name: root\nfunctions: { fn: { handler: index.handler } }\nsources:\n  s: { invoke: {}, to: fn, load: [{ duration: 1s, arrivalRate: 1 }] }\n',
    );
    const scenario = await loadScenario(join(project, 'scenario.yaml'));

    // Act
    const inputs = scenarioInputs(scenario, join(project, 'reports', 'run-1'));

    // Assess
    expect(inputs.sort()).toEqual(
      ['helper.mjs', 'index.mjs', 'node_modules', 'scenario.yaml'].map((f) => join(project, f)).sort(),
    );
  });
});

describe('includeFiles and relativeFrom', () => {
  it('writes every path relative to the script folder with forward slashes', () => {
    expect(relativeFrom('/p/reports/run', '/p/scenarios/s.yaml')).toBe('../../scenarios/s.yaml');
    expect(relativeFrom('/p/reports/run', '/p/reports/run/logs.txt')).toBe('./logs.txt');
    expect(includeFiles(['/p/code', '/p/a.csv'], '/p/out')).toEqual(['../a.csv', '../code']);
  });
});

describe('parseEngineConfig', () => {
  it('reads target, aws connection and qualifiers', () => {
    expect(
      parseEngineConfig({
        scenario: 's.yaml',
        target: 'aws',
        aws: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:9001', invokePath: 'sdk' },
        qualifiers: { fn: 'lambench-mem-256' },
      }),
    ).toEqual({
      scenario: 's.yaml',
      target: 'aws',
      aws: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:9001', invokePath: 'sdk' },
      qualifiers: { fn: 'lambench-mem-256' },
    });
  });

  it('names the field that is wrong', () => {
    expect(caughtInputError(() => parseEngineConfig({ scenario: 's', target: 'gcp' })).message).toBe(
      'config.engines.lambench.target: expected local or aws',
    );
    expect(caughtInputError(() => parseEngineConfig({ scenario: 's', aws: { region: 5 } })).message).toBe(
      'config.engines.lambench.aws.region: expected a string',
    );
    expect(caughtInputError(() => parseEngineConfig({ scenario: 's', qualifiers: { fn: 1 } })).message).toBe(
      'config.engines.lambench.qualifiers: expected { <function>: <alias or version> }',
    );
  });
});
