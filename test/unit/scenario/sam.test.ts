/** SAM templates: functions merged field by field, Events mapped to sources or listed as skipped. */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { loadScenario, loadScenarioText, type Scenario } from '../../../src/scenario/index.js';

const GOOD = path.resolve('test/fixtures/scenarios/good');
const FUNCTIONS = path.resolve('test/fixtures/scenarios/functions');
const TEMPLATE = path.resolve('test/fixtures/scenarios/sam/template.yaml');

const withTemplate = (rest: string) =>
  loadScenarioText(`name: t\ntemplate: ../sam/template.yaml\n${rest}`, path.join(GOOD, 'inline.yaml'));

describe('SAM template scenarios', () => {
  test('template functions come in with Globals; scenario values override field by field', async () => {
    const s = await loadScenario(path.join(GOOD, 'sam.yaml'));

    expect(s.template).toBe(TEMPLATE);
    expect(s.functions.Thumbnailer).toMatchObject({
      handler: 'index.handler',
      codeDir: path.join(FUNCTIONS, 'hello'),
      runtime: 'nodejs22.x',
      memoryMB: [128, 256], // the scenario's sweep replaces MemorySize 512 from Globals
      timeoutMs: 10_000,
      reservedConcurrency: 5,
      environment: { STAGE: 'test', EXTRA: '1' }, // merged by variable
    });
    expect(s.functions.Api).toMatchObject({
      runtime: 'python3.12',
      memoryMB: [512],
      codeDir: path.join(FUNCTIONS, 'py'),
    });
  });

  test('events become <Function>.<Event> sources of the matching kind', async () => {
    const s = await loadScenario(path.join(GOOD, 'sam.yaml'));
    const brief = (name: string) => {
      const src = s.sources[name];
      if (!src) return undefined;
      const version = src.kind === 'apigateway' ? src.version : undefined;
      return { kind: src.kind, to: src.to, eventType: src.eventType, options: src.options, version };
    };

    // The scenario's own source of the same name merges into the S3 event (key) and sets the load.
    expect(brief('Thumbnailer.Upload')).toEqual({
      kind: 's3',
      to: ['Thumbnailer'],
      eventType: 's3:ObjectCreated:Put',
      options: { bucket: 'Photos', key: 'in/{{ index }}.jpg' },
      version: undefined,
    });
    expect(s.sources['Thumbnailer.Upload']?.load).toMatchObject({
      phases: [{ kind: 'constant', durationMs: 20_000, rate: 2 }],
    });
    expect(brief('Api.List')).toMatchObject({
      kind: 'apigateway',
      version: 1,
      options: { method: 'GET', path: '/photos' },
    });
    expect(brief('Api.Get')).toMatchObject({
      kind: 'apigateway',
      version: 2,
      options: { method: 'GET', path: '/photos/{id}' },
    });
    expect(brief('Api.Legacy')).toMatchObject({
      kind: 'apigateway',
      version: 1,
      options: { method: 'POST' },
    });
    expect(brief('Api.Nightly')).toMatchObject({ kind: 'eventbridge', eventType: 'scheduled', to: ['Api'] });
    // Events without a source of their own use templateLoad.
    expect(s.sources['Api.List']?.load).toMatchObject({
      phases: [{ kind: 'constant', durationMs: 10_000, rate: 1 }],
    });
    expect(s.sources['Api.List']?.origin).toEqual({
      template: TEMPLATE,
      functionLogicalId: 'Api',
      eventName: 'List',
      eventType: 'Api',
    });
  });

  test('SNS events keep their filter policy and scope on the subscription', async () => {
    const s = await loadScenario(path.join(GOOD, 'sam.yaml'));
    const sns = s.sources['Thumbnailer.OrderPlaced'];
    expect(sns?.kind).toBe('sns');
    expect(sns?.options).toEqual({ topic: 'Orders' });
    expect(sns?.kind === 'sns' && sns.subscriptions).toEqual([
      { to: 'Thumbnailer', filterPolicy: { kind: ['order'] }, filterPolicyScope: 'MessageBody' },
    ]);
  });

  test('a Kinesis event becomes a kinesis source whose mapping carries the event properties', async () => {
    const s = await loadScenario(path.join(GOOD, 'sam.yaml'));
    expect(s.skipped).toEqual([]);
    const clicks = s.sources['Api.Clicks'];
    expect(clicks).toMatchObject({
      kind: 'kinesis',
      to: ['Api'],
      options: { stream: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks' },
      mapping: {
        batchSize: [50],
        batchingWindowMs: [2000],
        startingPosition: 'LATEST',
        bisectBatchOnFunctionError: true,
        reportBatchItemFailures: true,
        filters: [{ data: { action: ['buy'] } }],
      },
    });
  });

  test('without templateLoad, events with no source of their own are skipped with the reason', () => {
    const s: Scenario = withTemplate('sources:\n  Api.List:\n    load: [{ duration: 5s, arrivalRate: 1 }]\n');
    expect(Object.keys(s.sources)).toEqual(['Api.List']);
    expect(s.skipped.map((k) => k.name)).toEqual([
      'Thumbnailer.Upload',
      'Thumbnailer.OrderPlaced',
      'Api.Get',
      'Api.Legacy',
      'Api.Nightly',
      'Api.Clicks',
    ]);
    expect(s.skipped[0]?.reason).toBe('no load: add sources["Thumbnailer.Upload"].load or a templateLoad');
  });

  test('a scenario source may not turn a template event into another kind', () => {
    let err: unknown;
    try {
      withTemplate('sources:\n  Api.List:\n    sns: {}\n    load: [{ duration: 5s, arrivalRate: 1 }]\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).toLine()).toMatch(
      /inline\.yaml:5:5: sources\["Api\.List"\]\.sns: the SAM template declares this event as Api; sns cannot replace it/,
    );
  });

  test('a scenario may add its own functions and sources next to the template', () => {
    const s = withTemplate(
      'functions:\n  extra: { handler: ../functions/hello/index.handler }\nsources:\n  direct:\n    invoke: {}\n    to: [extra, Api]\n    load: [{ duration: 1s, arrivalRate: 1 }]\n',
    );
    expect(Object.keys(s.functions).sort()).toEqual(['Api', 'Thumbnailer', 'extra']);
    expect(s.sources.direct?.to).toEqual(['extra', 'Api']);
  });
});
