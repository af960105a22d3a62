import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputErrors } from '../../src/core/errors.js';
import { isSamTemplate, loadSamTemplate, parseSamTemplate } from '../../src/scenario/sam-template.js';
import { caughtInputError } from '../helpers/input-error.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sam');
const TEMPLATE = join(FIXTURES, 'template.yaml');

const caught = caughtInputError;

const minimal = (props: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
${props}`;

describe('loadSamTemplate', () => {
  it('reads every serverless function with Globals defaults, short tags and raw events', () => {
    // Act
    const template = loadSamTemplate(TEMPLATE);
    // Assess
    expect(template.functions.map((f) => f.logicalId)).toEqual(['EchoFunction', 'TrivialFunction']);
    const [echo, trivial] = template.functions;
    expect(echo).toMatchObject({
      functionName: 'echo',
      codeDir: join(FIXTURES, 'functions'),
      handler: 'echo.handler',
      runtime: 'nodejs20.x',
      memorySize: 256,
      timeout: 10,
      reservedConcurrency: 5,
      // STAGE is overridden by the function; TABLE (!Ref) cannot resolve locally and is left unset.
      environment: { GREETING: 'hello', STAGE: 'prod' },
    });
    expect(echo?.events.map((e) => [e.name, e.type])).toEqual([
      ['Upload', 'S3'],
      ['Queue', 'SQS'],
    ]);
    expect(echo?.events[0]?.properties.Bucket).toEqual({ Ref: 'Uploads' });
    expect(echo?.events[1]?.properties).toEqual({
      Queue: { 'Fn::GetAtt': ['Orders', 'Arn'] },
      BatchSize: 10,
    });
    expect(echo?.events[1]?.position.line).toBe(44);
    // Defaults: MemorySize 128 when neither the function nor Globals set it.
    expect(trivial).toMatchObject({ functionName: 'TrivialFunction', memorySize: 128, timeout: 3 });
    expect(trivial?.reservedConcurrency).toBeUndefined();
    expect(template.notes.join('\n')).toMatch(/TrivialFunction: FunctionName is computed/);
    expect(template.notes.join('\n')).toMatch(/EchoFunction: Environment.Variables.TABLE/);
  });

  it('names file, line and field for a memory size out of range', () => {
    const err = caught(() => loadSamTemplate(join(FIXTURES, 'bad-memory.yaml')));
    expect(err.toLine()).toBe(
      `${join(FIXTURES, 'bad-memory.yaml')}:9:19: Resources.Fn.Properties.MemorySize: MemorySize must be an integer 128–10240 MB, got 64`,
    );
  });

  it('reports a missing file as one InputError', () => {
    const err = caught(() => loadSamTemplate(join(FIXTURES, 'nope.yaml')));
    expect(err.code).toBe('TEMPLATE_UNREADABLE');
    expect(err.exitCode).toBe(2);
  });
});

describe('parseSamTemplate', () => {
  it('reports every problem at once, including ones inherited from Globals', () => {
    const text = `Globals:
  Function:
    Timeout: 0
${minimal('      CodeUri: s3://bucket/key.zip\n      Handler: !Sub x\n')}`;
    const err = caught(() => parseSamTemplate(text, 't.yaml'));
    expect(err).toBeInstanceOf(InputErrors);
    const lines = err.toLine().split('\n');
    expect(lines).toContain('t.yaml:8:5: Resources.Fn.Properties.Runtime: Runtime is missing');
    expect(
      lines.some((l) => l.includes('Resources.Fn.Properties.CodeUri: CodeUri must be a local path')),
    ).toBe(true);
    expect(lines).toContain(
      't.yaml:3:14: Globals.Function.Timeout: Timeout must be an integer 1–900 s, got 0',
    );
    expect(
      lines.some((l) =>
        l.startsWith('t.yaml:10:21: Resources.Fn.Properties.Handler: Handler must be a plain string'),
      ),
    ).toBe(true);
  });

  it('rejects S3 CodeUri objects and image functions with the field named', () => {
    const err = caught(() =>
      parseSamTemplate(
        minimal(
          '      PackageType: Image\n      Runtime: nodejs20.x\n      Handler: a.b\n      CodeUri: {Bucket: b, Key: k}\n',
        ),
        't.yaml',
      ),
    );
    const text = err.toLine();
    expect(text).toMatch(/Resources.Fn.Properties.PackageType: container-image functions are not supported/);
    expect(text).toMatch(/Resources.Fn.Properties.CodeUri: CodeUri must be a local path/);
  });

  it('gives the line and column of a YAML syntax error', () => {
    const err = caught(() => parseSamTemplate('Resources:\n  Fn: [unclosed\n', 't.yaml'));
    expect(err.code).toBe('TEMPLATE_SYNTAX');
    expect(err.position?.line).toBeGreaterThanOrEqual(2);
  });

  it('says so when a template has no serverless function', () => {
    const err = caught(() => parseSamTemplate('Resources:\n  Q:\n    Type: AWS::SQS::Queue\n', 't.yaml'));
    expect(err.code).toBe('TEMPLATE_NO_FUNCTIONS');
  });

  it('resolves CodeUri against the template folder and defaults it to that folder', () => {
    const t = parseSamTemplate(
      minimal('      Runtime: python3.12\n      Handler: app.handler\n'),
      '/srv/app/template.yaml',
    );
    expect(t.functions[0]?.codeDir).toBe('/srv/app');
  });
});

describe('isSamTemplate', () => {
  it('tells a SAM template from another YAML file', () => {
    expect(isSamTemplate(minimal('      Handler: a.b\n'))).toBe(true);
    expect(isSamTemplate('Resources:\n  F:\n    Type: AWS::Serverless::Function\n')).toBe(true);
    expect(isSamTemplate('name: s3-burst\nsources: {}\n')).toBe(false);
    expect(isSamTemplate('not: [valid')).toBe(false);
  });
});
