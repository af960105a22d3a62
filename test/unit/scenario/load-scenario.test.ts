/** loadScenario on good files: units normalised, paths absolute, defaults applied, overrides. */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ExitCode, InputError } from '../../../src/core/errors.js';
import {
  loadScenario,
  loadScenarioText,
  type Scenario,
  type ScenarioSource,
} from '../../../src/scenario/index.js';
import { caughtInputError } from '../../helpers/input-error.js';

const GOOD = path.resolve('test/fixtures/scenarios/good');
const FUNCTIONS = path.resolve('test/fixtures/scenarios/functions');

function source<K extends ScenarioSource['kind']>(s: Scenario, name: string, kind: K) {
  const found = s.sources[name];
  if (found?.kind !== kind) throw new Error(`source ${name} is ${found?.kind}, not ${kind}`);
  return found as Extract<ScenarioSource, { kind: K }>;
}

/** A minimal scenario around one source, for focused cases. */
function scenarioWith(sourceYaml: string, extra = ''): string {
  return [
    'name: t',
    extra,
    'functions:',
    '  hello: { handler: ../functions/hello/index.handler }',
    'sources:',
    '  s:',
    ...sourceYaml.split('\n').map((l) => `    ${l}`),
  ].join('\n');
}
const inGood = (text: string, opts = {}) => loadScenarioText(text, path.join(GOOD, 'inline.yaml'), opts);

describe('loadScenario', () => {
  test('resolves functions: handler split into code dir and Lambda handler, units, defaults', async () => {
    const s = await loadScenario(path.join(GOOD, 'photo-pipeline.yaml'));

    const thumb = s.functions.thumbnailer;
    expect(thumb).toMatchObject({
      handler: 'index.handler',
      codeDir: path.join(FUNCTIONS, 'hello'),
      runtime: 'nodejs22.x',
      memoryMB: [256, 512, 1024, 1769],
      timeoutMs: 30_000,
      reservedConcurrency: 50,
      environment: { OUT_BUCKET: 'thumbs', RETRIES: '3' },
    });
    // codeDir + Lambda-style handler; runtime inferred from app.py; Lambda's 3 s default timeout.
    expect(s.functions.views).toMatchObject({
      handler: 'app.handler',
      codeDir: path.join(FUNCTIONS, 'py'),
      runtime: 'python3.12',
      memoryMB: [512],
      timeoutMs: 3000,
    });
    expect(s).toMatchObject({
      seed: 42,
      target: 'local',
      expect: [{ expression: 'thumbnailer.latency.p99 < 800ms' }],
      report: { html: true },
    });
    expect(s.run).toEqual({ graceMs: 5000, outputDir: path.join(GOOD, 'out') });
  });

  test('resolves sources: phases in ms, retries, delivery settings, positions', async () => {
    const s = await loadScenario(path.join(GOOD, 'photo-pipeline.yaml'));

    const uploads = source(s, 'uploads', 's3');
    expect(uploads.eventType).toBe('s3:ObjectCreated:Put');
    expect(uploads.options).toEqual({ bucket: 'photos', key: 'uploads/{{ faker.string.uuid }}.jpg' });
    expect(uploads.retries).toEqual({
      maximumRetryAttempts: 2,
      maximumEventAgeMs: 21_600_000,
      delaysMs: [1000, 2000],
    });
    expect(uploads.onFailure).toBe('dlq');
    expect(uploads.load).toEqual({
      kind: 'open',
      distribution: 'poisson',
      phaseNames: ['warm-up', undefined, undefined, undefined],
      phases: [
        { kind: 'ramp', durationMs: 30_000, from: 5, to: 100 },
        { kind: 'constant', durationMs: 120_000, rate: 100 },
        { kind: 'pause', durationMs: 5000 },
        { kind: 'count', durationMs: 10_000, count: 20 },
      ],
    });
    expect(uploads.maxInFlight).toBe(1000);
    expect(uploads.position).toMatchObject({ line: 18, column: 3, field: 'sources.uploads' });

    const listing = source(s, 'listing', 'apigateway');
    expect(listing).toMatchObject({ version: 2, integrationTimeoutMs: 10_000, maxInFlight: 200 });
    expect(listing.to).toEqual(['thumbnailer', 'views']);
    expect(listing.options).toEqual({ version: 2, method: 'GET', path: '/photos/{{ faker.string.uuid }}' });
  });

  test('every source kind, closed model, CSV payload rows and processor path', async () => {
    const s = await loadScenario(path.join(GOOD, 'all-sources.yaml'));

    const direct = source(s, 'direct-async', 'invoke');
    expect(direct.async).toBe(true);
    expect(direct.invokePayload).toBe('{{ faker.person.firstName }}');
    const sns = source(s, 'notifications', 'sns');
    expect(sns.subscriptions).toEqual([
      { to: 'fn', filterPolicy: { kind: ['order'] }, filterPolicyScope: 'MessageAttributes' },
      { to: 'custom', filterPolicyScope: 'MessageBody' },
    ]);
    expect(sns.to).toEqual(['fn', 'custom']);
    expect(source(s, 'stack', 'cloudformation').responseTimeoutMs).toBe(30_000);
    expect(source(s, 'skill', 'alexa').load).toEqual({
      kind: 'closed',
      concurrency: 4,
      durationMs: 20_000,
      thinkTimeMs: 500,
    });
    expect(s.functions.custom).toMatchObject({
      runtime: 'provided.al2023',
      codeDir: path.join(FUNCTIONS, 'custom'),
    });

    const csv = source(s, 'with-csv', 'invoke');
    expect(csv.async).toBe(false);
    expect(csv.payload).toEqual({
      path: path.resolve('test/fixtures/scenarios/data/users.csv'),
      order: 'random',
      delimiter: ',',
      columns: ['userId', 'email'],
      rows: [
        { userId: 'u1', email: 'a@example.com' },
        { userId: 'u2', email: 'b@example.com' },
        { userId: 'u3', email: 'c@example.com' },
      ],
    });
    expect(csv.processor).toBe(path.resolve('test/fixtures/scenarios/data/processor.mjs'));
  });

  test('async sources get the AWS retry defaults: 2 retries, 6 h, 1 min then 2 min', () => {
    const s = inGood(scenarioWith('eventbridge: {}\nto: hello\nload: [{ duration: 1s, arrivalRate: 1 }]'));
    expect(source(s, 's', 'eventbridge').retries).toEqual({
      maximumRetryAttempts: 2,
      maximumEventAgeMs: 21_600_000,
      delaysMs: [60_000, 120_000],
    });
  });

  test('a scenario with nothing but the required fields gets the documented defaults', () => {
    const s = inGood(scenarioWith('invoke: {}\nto: hello\nload: [{ duration: 1s, arrivalRate: 1 }]'), {
      cwd: '/home/user/project',
    });
    expect(s).toMatchObject({ seed: 1, target: 'local', expect: [], skipped: [] });
    // Without run.output, reports/ is where the user ran lambench, not beside the scenario file.
    expect(s.run).toEqual({ graceMs: 10_000, outputDir: path.join('/home/user/project', 'reports') });
    expect(s.functions.hello).toMatchObject({ memoryMB: [128], timeoutMs: 3000, environment: {} });
    expect(source(s, 's', 'invoke').load).toMatchObject({ distribution: 'uniform' });
    expect(s.report).toBeUndefined();
  });

  test('type and event are aliases for the event type; apigateway defaults to REST (version 1, 29 s)', () => {
    const rest = inGood(
      scenarioWith('apigateway: { event: rest }\nto: hello\nload: [{ duration: 1s, arrivalRate: 1 }]'),
    );
    expect(source(rest, 's', 'apigateway')).toMatchObject({
      eventType: 'rest',
      version: 1,
      integrationTimeoutMs: 29_000,
    });
    const http = inGood(
      scenarioWith('apigateway: { type: http }\nto: hello\nload: [{ duration: 1s, arrivalRate: 1 }]'),
    );
    expect(source(http, 's', 'apigateway')).toMatchObject({ eventType: 'http', version: 2 });
  });

  test('the first event of each source is built at load time, so generator mistakes are load errors', () => {
    const wrongOption = scenarioWith(
      's3: { bukket: photos }\nto: hello\nload: [{ duration: 1s, arrivalRate: 1 }]',
    );
    expect(catchError(() => inGood(wrongOption)).toLine()).toMatch(
      /inline\.yaml:7:11: sources\.s\.s3\.bukket: unknown s3 option "bukket" \(did you mean "bucket"\?\)/,
    );
    const noVariable = scenarioWith(
      'invoke: { user: "{{ userId }}" }\nto: hello\nload: [{ duration: 1s, arrivalRate: 1 }]',
    );
    expect(catchError(() => inGood(noVariable)).toLine()).toMatch(
      /sources\.s\.invoke: .*unknown variable "userId"/,
    );
  });

  test('several problems are reported at once', () => {
    const text = scenarioWith(
      'invoke: {}\nto: [hello, nope]\ndistribution: even\nload: [{ duration: 1s, arrivalRate: 1 }]',
    );
    const err = catchError(() => inGood(text.replace('name: t', 'name: t\nseed: 1.5')));
    expect(err.toLine().split('\n')).toHaveLength(2);
    expect(err.toLine()).toContain('seed');
    expect(err.toLine()).toContain('distribution');
    // Cross-field checks (the unknown function) run once the shape is right.
    const err2 = catchError(() => inGood(text.replace('    distribution: even\n', '')));
    expect(err2.toLine()).toMatch(
      /inline\.yaml:\d+:\d+: sources\.s\.to\[1\]: unknown function "nope"; declared: hello/,
    );
  });

  test('a missing scenario file is one clear line', async () => {
    const err = await loadScenario('no/such/scenario.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).toLine()).toBe('no/such/scenario.yaml: no such scenario file');
    expect((err as InputError).exitCode).toBe(ExitCode.BadInput);
  });
});

describe('--set and --duration-scale', () => {
  const base = scenarioWith(
    'invoke: {}\nto: hello\nload:\n  - { duration: 30s, arrivalRate: 5 }\n  - { duration: 10s, arrivalCount: 7 }\n  - { pause: 1m }',
  );

  test('--set replaces a value before validation, parsed as YAML', () => {
    const s = inGood(base, {
      set: ['sources.s.load[0].arrivalRate=10', 'functions.hello.memory=[256, 1GB]', 'seed=7'],
    });
    expect(source(s, 's', 'invoke').load).toMatchObject({ phases: [{ kind: 'constant', rate: 10 }, {}, {}] });
    expect(s.functions.hello?.memoryMB).toEqual([256, 1024]);
    expect(s.seed).toBe(7);
  });

  test('--set may add a key to an existing mapping, and reach keys with dots', () => {
    const text = base.replace('  s:', '  "a.b":');
    const s = inGood(text, { set: ['sources["a.b"].maxInFlight=5', 'functions.hello.timeout=10s'] });
    expect(s.sources['a.b']?.maxInFlight).toBe(5);
    expect(s.functions.hello?.timeoutMs).toBe(10_000);
  });

  test('a bad --set value is reported at the line of the value it replaced, naming the argument', () => {
    const err = catchError(() => inGood(base, { set: ['sources.s.load[0].arrivalRate=fast'] }));
    expect(err.toLine()).toMatch(
      /inline\.yaml:10:\d+: sources\.s\.load\[0\]\.arrivalRate: expected a number, got "fast" \(set by --set sources\.s\.load\[0\]\.arrivalRate=fast\)/,
    );
  });

  test.each([
    ['sources.s.load[0]arrivalRate=1', 'cannot read the path'],
    ['sources.s.to.x=1', 'sources.s.to is a single value'],
    ['sources.s.load[9]=1', 'past the end'],
    ['functions[0]=1', 'functions is a mapping, not a list'],
    ['no-equals-sign', 'expected path=value'],
  ])('--set %s is rejected: %s', (arg, message) => {
    const err = catchError(() => inGood(base, { set: [arg] }));
    expect(err.toLine()).toContain(`--set ${arg}: `);
    expect(err.toLine()).toContain(message);
  });

  test('--set may add a top-level key; a wrong one is then an unknown key naming the argument', () => {
    const err = catchError(() => inGood(base, { set: ['sead=3'] }));
    expect(err.toLine()).toMatch(
      /inline\.yaml: sead: unknown key "sead" \(did you mean "seed"\?\) \(set by --set sead=3\)$/,
    );
  });

  test('--duration-scale scales phase durations and pauses; counts and rates stay', () => {
    const s = inGood(base, { durationScale: 0.1 });
    expect(source(s, 's', 'invoke').load).toMatchObject({
      phases: [
        { kind: 'constant', durationMs: 3000, rate: 5 },
        { kind: 'count', durationMs: 1000, count: 7 },
        { kind: 'pause', durationMs: 6000 },
      ],
    });
  });

  test('--duration-scale scales the closed model duration, not its think time', () => {
    const text = scenarioWith('invoke: {}\nto: hello\nload: { concurrency: 2, duration: 1m, thinkTime: 1s }');
    expect(source(inGood(text, { durationScale: 0.5 }), 's', 'invoke').load).toEqual({
      kind: 'closed',
      concurrency: 2,
      durationMs: 30_000,
      thinkTimeMs: 1000,
    });
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('--duration-scale %d is rejected', (f) => {
    expect(catchError(() => inGood(base, { durationScale: f })).toLine()).toMatch(
      /--duration-scale: expected a number greater than 0/,
    );
  });
});

describe('templates', () => {
  test('templates in any nested option or payload string are compiled at load time', () => {
    const text = scenarioWith(
      'invoke: { a: [ { b: "{{ faker.nope.x }}" } ] }\nto: hello\nload: [{ duration: 1s, arrivalRate: 1 }]',
    );
    expect(catchError(() => inGood(text)).toLine()).toMatch(
      /sources\.s\.invoke\.a\[0\]\.b: bad template: template column \d+: unknown faker module "faker\.nope"/,
    );
  });

  test('an unclosed {{ is reported', () => {
    const text = scenarioWith(
      'sns: { message: "hello {{ index" }\nto: hello\nload: [{ duration: 1s, arrivalRate: 1 }]',
    );
    expect(catchError(() => inGood(text)).toLine()).toMatch(/sources\.s\.sns\.message: bad template: .*"}}"/);
  });

  test('valid templates and plain strings pass', () => {
    const text = scenarioWith(
      'sns: { message: "{{ faker.string.uuid }} at {{ now }} #{{ index }}" }\nto: hello\nload: [{ duration: 1s, arrivalRate: 1 }]',
    );
    expect(source(inGood(text), 's', 'sns').options.message).toContain('{{ now }}');
  });
});

const catchError = caughtInputError;
