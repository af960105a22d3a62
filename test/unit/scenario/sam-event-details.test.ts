/**
 * SAM event details that change what the function receives: every S3 event type of an `Events`
 * list, the S3 key `Filter` rules, and a `Schedule`'s `Input` (which replaces the event). Checked
 * on the resolved sources and on the payloads the run's event factory builds from them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createEventFactory } from '../../../src/run/event-factory.js';
import { loadScenarioText, type Scenario } from '../../../src/scenario/index.js';
import { caughtInputError } from '../../helpers/input-error.js';

const FUNCTIONS = path.resolve('test/fixtures/scenarios/functions');
const dir = mkdtempSync(path.join(tmpdir(), 'lambench-sam-details-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withTemplate(events: string, scenarioRest = ''): Scenario {
  const template = [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Photos:',
    '    Type: AWS::S3::Bucket',
    '  Fn:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    `      CodeUri: ${path.join(FUNCTIONS, 'hello')}`,
    '      Handler: index.handler',
    '      Runtime: nodejs20.x',
    '      Events:',
    events,
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'template.yaml'), template);
  const scenario = `name: t\ntemplate: template.yaml\ntemplateLoad: [{ duration: 1s, arrivalRate: 1 }]\n${scenarioRest}`;
  return loadScenarioText(scenario, path.join(dir, 'scenario.yaml'));
}

async function payloads(scenario: Scenario, source: string, n: number): Promise<unknown[]> {
  const src = scenario.sources[source];
  if (!src) throw new Error(`no source ${source}`);
  const factory = await createEventFactory(src, scenario.seed, Date.UTC(2026, 0, 1));
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(JSON.parse(await factory(i)));
  return out;
}

const S3_UPLOAD = `        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Photos
            Events: [s3:ObjectCreated:*, s3:ObjectRemoved:*]
            Filter:
              S3Key:
                Rules:
                  - { Name: prefix, Value: uploads/ }
                  - { Name: Suffix, Value: .jpg }`;

interface S3Record {
  eventName: string;
  s3: { object: { key: string; size?: number } };
}

describe('SAM S3 events', () => {
  test('every type of the Events list, taken in turn by successive arrivals', async () => {
    const s = withTemplate(S3_UPLOAD);
    const source = s.sources['Fn.Upload'];
    expect(source?.eventType).toBe('s3:ObjectCreated:Put');
    expect(source?.eventTypes).toEqual(['s3:ObjectCreated:Put', 's3:ObjectRemoved:Delete']);
    const events = (await payloads(s, 'Fn.Upload', 6)) as Array<{ Records: S3Record[] }>;
    expect(events.map((e) => e.Records[0]?.eventName)).toEqual([
      'ObjectCreated:Put',
      'ObjectRemoved:Delete',
      'ObjectCreated:Put',
      'ObjectRemoved:Delete',
      'ObjectCreated:Put',
      'ObjectRemoved:Delete',
    ]);
    // Deletes carry no size: each arrival is built as its own type, not relabelled.
    expect(events[1]?.Records[0]?.s3.object.size).toBeUndefined();
    expect(events[0]?.Records[0]?.s3.object.size).toBeGreaterThan(0);
  });

  test('Filter prefix/suffix rules hold for every generated key', async () => {
    const s = withTemplate(S3_UPLOAD);
    expect(s.sources['Fn.Upload']?.options).toMatchObject({ prefix: 'uploads/', suffix: '.jpg' });
    const events = (await payloads(s, 'Fn.Upload', 20)) as Array<{ Records: S3Record[] }>;
    for (const e of events) {
      const key = decodeURIComponent((e.Records[0]?.s3.object.key ?? '').replace(/\+/g, ' '));
      expect(key.startsWith('uploads/'), key).toBe(true);
      expect(key.endsWith('.jpg'), key).toBe(true);
    }
  });

  test('a scenario key that the Filter would never notify for is a load-time error', () => {
    const load = () =>
      withTemplate(S3_UPLOAD, 'sources:\n  Fn.Upload:\n    s3: { key: "other/{{ index }}.png" }\n');
    expect(caughtInputError(load).toLine()).toMatch(
      /key matching the notification filter \(prefix "uploads\/" and suffix "\.jpg"\)/,
    );
  });

  test('a single type stays a single type', () => {
    const s = withTemplate(`        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Photos
            Events: s3:ObjectCreated:*`);
    expect(s.sources['Fn.Upload']?.eventType).toBe('s3:ObjectCreated:Put');
    expect(s.sources['Fn.Upload']?.eventTypes).toBeUndefined();
  });
});

describe('SAM Schedule events', () => {
  test('Input replaces the event: the function receives that JSON alone', async () => {
    const s = withTemplate(`        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
            Input: '{"job": "nightly-report", "limit": 3, "dryRun": false}'`);
    expect(await payloads(s, 'Fn.Nightly', 2)).toEqual([
      { job: 'nightly-report', limit: 3, dryRun: false },
      { job: 'nightly-report', limit: 3, dryRun: false },
    ]);
  });

  test('without Input, the scheduled event itself', async () => {
    const s = withTemplate(`        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)`);
    const [event] = (await payloads(s, 'Fn.Nightly', 1)) as Array<Record<string, unknown>>;
    expect(event).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} });
  });

  test('a disabled schedule is skipped with the reason; Input that is not JSON is an error with a load', () => {
    const disabled = withTemplate(`        Off:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
            Enabled: false
        On:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)`);
    expect(disabled.sources['Fn.On']).toBeDefined();
    expect(disabled.sources['Fn.Off']).toBeUndefined();
    expect(disabled.skipped).toEqual([
      expect.objectContaining({ name: 'Fn.Off', reason: expect.stringMatching(/disabled/) }),
    ]);
    const badInput = () =>
      withTemplate(
        `        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
            Input: '{not json'`,
        'sources:\n  Fn.Nightly:\n    load: [{ duration: 1s, arrivalRate: 1 }]\n',
      );
    expect(caughtInputError(badInput).toLine()).toMatch(/Input must be valid JSON text/);
  });
});

describe('event type lists in scenarios', () => {
  const scenario = (event: string) =>
    loadScenarioText(
      [
        'name: t',
        'functions:',
        `  f: { handler: ${path.join(FUNCTIONS, 'hello', 'index.handler')} }`,
        'sources:',
        '  uploads:',
        `    s3: { bucket: b, event: ${event} }`,
        '    to: f',
        '    load: [{ duration: 1s, arrivalRate: 1 }]',
        '',
      ].join('\n'),
      path.join(dir, 'list.yaml'),
    );

  test('a list names types taken in turn; a misspelt later type fails at load time', () => {
    expect(scenario('[put, copy]').sources.uploads?.eventTypes).toEqual(['put', 'copy']);
    expect(caughtInputError(() => scenario('[put, cpoy]')).toLine()).toMatch(/unknown s3 event type "cpoy"/);
  });
});
