/**
 * Reads the functions of an AWS SAM template: every AWS::Serverless::Function with the defaults of
 * Globals.Function applied, as SAM CLI's function provider does (MemorySize 128, Timeout 3, CodeUri
 * relative to the template's folder), and each function's Events kept as raw data for the scenario
 * layer to map onto event sources. CloudFormation short tags (!Ref, !GetAtt, !Sub, …) parse into their
 * long form (`{Ref: X}`, `{"Fn::GetAtt": [X, Arn]}`) so templates load without error; values that
 * need a deployed stack to resolve are reported in `notes` rather than dropped silently.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type Document,
  isMap,
  isScalar,
  LineCounter,
  Pair,
  parseDocument,
  Scalar,
  type Tags,
  YAMLMap,
} from 'yaml';
import { InputError, InputErrors, type SourcePosition } from '../core/errors.js';

export interface SamEvent {
  /** The event's logical name (the key under Events). */
  name: string;
  /** S3, SNS, SQS, Kinesis, DynamoDB, Api, HttpApi, Schedule, … */
  type: string;
  /** Properties exactly as written, intrinsic functions in long form. */
  properties: Record<string, unknown>;
  position: SourcePosition;
}

export interface SamFunction {
  logicalId: string;
  /** FunctionName when it is a plain string, else the logical id. */
  functionName: string;
  /** Absolute path of CodeUri. */
  codeDir: string;
  handler: string;
  runtime: string;
  memorySize: number; // MB
  timeout: number; // s
  environment: Record<string, string>;
  reservedConcurrency?: number;
  events: SamEvent[];
  position: SourcePosition;
}

export interface SamTemplate {
  file: string;
  functions: SamFunction[];
  /** Things the template asks for that cannot be reproduced locally (unresolvable !Ref values, …). */
  notes: string[];
}

const INTRINSICS = [
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
];
const MORE_INTRINSICS = [
  'FindInMap',
  'Base64',
  'Cidr',
  'ImportValue',
  'GetAZs',
  'Transform',
  'ToJsonString',
  'Length',
];

/** The yaml tags for CloudFormation's short forms, each as scalar, sequence and mapping. */
function cloudFormationTags(): Tags {
  const tags: Tags = [];
  for (const fn of [...INTRINSICS, ...MORE_INTRINSICS]) {
    const key = fn === 'Ref' || fn === 'Condition' ? fn : `Fn::${fn}`;
    const wrap = (value: unknown) => {
      const map = new YAMLMap();
      map.items.push(new Pair(new Scalar(key), value));
      return map;
    };
    // !GetAtt Bucket.Arn is shorthand for {"Fn::GetAtt": ["Bucket", "Arn"]}.
    const scalar = fn === 'GetAtt' ? (s: string) => ({ [key]: s.split('.') }) : (s: string) => ({ [key]: s });
    tags.push({ tag: `!${fn}`, resolve: scalar });
    tags.push({ tag: `!${fn}`, collection: 'seq', resolve: wrap });
    tags.push({ tag: `!${fn}`, collection: 'map', resolve: wrap });
  }
  return tags;
}

const SAM_FUNCTION = 'AWS::Serverless::Function';

/** Reads a SAM template file; problems are InputErrors naming file, line and field. */
export function loadSamTemplate(path: string): SamTemplate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError('TEMPLATE_UNREADABLE', `cannot read SAM template: ${(err as Error).message}`, {
      position: { file: path },
      cause: err,
    });
  }
  return parseSamTemplate(text, path);
}

/** True when a YAML text is a SAM template (the Serverless transform or a serverless function in it). */
export function isSamTemplate(text: string): boolean {
  const doc = parseDocument(text, { customTags: cloudFormationTags() });
  if (doc.errors.length > 0) return false;
  const js = doc.toJS() as unknown;
  if (!isRecord(js)) return false;
  const transform = js.Transform;
  const transforms = Array.isArray(transform) ? transform : [transform];
  if (transforms.some((t) => typeof t === 'string' && t.startsWith('AWS::Serverless'))) return true;
  return (
    isRecord(js.Resources) && Object.values(js.Resources).some((r) => isRecord(r) && r.Type === SAM_FUNCTION)
  );
}

/** Parses a SAM template's text; `file` names it in errors and anchors relative CodeUri paths. */
export function parseSamTemplate(text: string, file: string): SamTemplate {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: cloudFormationTags(), lineCounter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = lineCounter.linePos(syntax.pos[0]);
    throw new InputError('TEMPLATE_SYNTAX', `YAML syntax error: ${syntax.message.split('\n')[0]}`, {
      position: { file, line: at.line, column: at.col },
    });
  }
  const reader = new TemplateReader(doc, lineCounter, file);
  return reader.read();
}

type Path = (string | number)[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fieldName(path: Path): string {
  return path.join('.');
}

/** Walks the parsed document, collecting every problem before throwing them together. */
class TemplateReader {
  readonly #doc: Document;
  readonly #lines: LineCounter;
  readonly #file: string;
  readonly #root: Record<string, unknown>;
  readonly #errors: InputError[] = [];
  readonly #notes: string[] = [];

  constructor(doc: Document, lines: LineCounter, file: string) {
    this.#doc = doc;
    this.#lines = lines;
    this.#file = file;
    const js = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    this.#root = isRecord(js) ? js : {};
  }

  read(): SamTemplate {
    const resources = this.#root.Resources;
    if (!isRecord(resources)) {
      throw this.#error('TEMPLATE_NO_RESOURCES', ['Resources'], 'a SAM template needs a Resources mapping');
    }
    const globals = this.#globals();
    const functions: SamFunction[] = [];
    for (const [id, resource] of Object.entries(resources)) {
      if (!isRecord(resource) || resource.Type !== SAM_FUNCTION) continue;
      const fn = this.#function(id, resource, globals);
      if (fn) functions.push(fn);
    }
    if (this.#errors.length === 1) throw this.#errors[0];
    if (this.#errors.length > 1) throw new InputErrors(this.#errors);
    if (functions.length === 0) {
      throw this.#error('TEMPLATE_NO_FUNCTIONS', ['Resources'], `no ${SAM_FUNCTION} resources found`);
    }
    return { file: this.#file, functions, notes: this.#notes };
  }

  #globals(): Record<string, unknown> {
    const globals = this.#root.Globals;
    const fn = isRecord(globals) ? globals.Function : undefined;
    return isRecord(fn) ? fn : {};
  }

  /** Where a field is: its value for scalars, its key for mappings and lists (the line a reader looks for). */
  #position(path: Path): SourcePosition {
    const field = fieldName(path);
    // A missing field is reported at the nearest enclosing one that exists.
    for (let n = path.length; n > 0; n--) {
      const at = this.#locate(path.slice(0, n));
      if (at) return { file: this.#file, line: at.line, column: at.col, field };
    }
    return { file: this.#file, field };
  }

  #locate(path: Path): { line: number; col: number } | undefined {
    const parent = this.#doc.getIn(path.slice(0, -1), true);
    const pair = isMap(parent)
      ? parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1))
      : undefined;
    const target = pair && !isScalar(pair.value) && isScalar(pair.key) ? pair.key : pair?.value;
    const range = (target as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? this.#lines.linePos(range[0]) : undefined;
  }

  #error(code: string, path: Path, message: string): InputError {
    return new InputError(code, message, { position: this.#position(path) });
  }

  #problem(code: string, path: Path, message: string): void {
    this.#errors.push(this.#error(code, path, message));
  }

  #function(
    id: string,
    resource: Record<string, unknown>,
    globals: Record<string, unknown>,
  ): SamFunction | undefined {
    const props = isRecord(resource.Properties) ? resource.Properties : {};
    const base: Path = ['Resources', id, 'Properties'];
    // A property set on the function wins over Globals.Function, as SAM merges them.
    const pick = (key: string): { value: unknown; path: Path } =>
      props[key] === undefined && globals[key] !== undefined
        ? { value: globals[key], path: ['Globals', 'Function', key] }
        : { value: props[key], path: [...base, key] };
    const before = this.#errors.length;
    if (pick('PackageType').value === 'Image') {
      this.#problem(
        'TEMPLATE_IMAGE',
        [...base, 'PackageType'],
        'container-image functions are not supported locally',
      );
    }
    if (props.InlineCode !== undefined) {
      this.#problem(
        'TEMPLATE_INLINE_CODE',
        [...base, 'InlineCode'],
        'InlineCode is not supported; use CodeUri',
      );
    }
    const handler = this.#string(pick('Handler'), 'Handler');
    const runtime = this.#string(pick('Runtime'), 'Runtime');
    const codeDir = this.#codeDir(pick('CodeUri'));
    const memorySize = this.#integer(pick('MemorySize'), 128, 128, 10_240, 'MB');
    const timeout = this.#integer(pick('Timeout'), 3, 1, 900, 's');
    const reserved = pick('ReservedConcurrentExecutions');
    const reservedConcurrency =
      reserved.value === undefined ? undefined : this.#integer(reserved, 0, 0, 1_000_000, 'executions');
    const environment = this.#environment(id, globals, props);
    const events = this.#events(base, props.Events);
    if (this.#errors.length > before) return undefined;
    const fn: SamFunction = {
      logicalId: id,
      functionName: this.#functionName(id, props.FunctionName),
      codeDir,
      handler,
      runtime,
      memorySize,
      timeout,
      environment,
      events,
      position: this.#position(['Resources', id]),
    };
    if (reservedConcurrency !== undefined) fn.reservedConcurrency = reservedConcurrency;
    return fn;
  }

  #functionName(id: string, value: unknown): string {
    if (typeof value === 'string') return value;
    if (value !== undefined) {
      this.#notes.push(
        `${id}: FunctionName is computed by CloudFormation (${JSON.stringify(value)}); using '${id}'`,
      );
    }
    return id;
  }

  #string(field: { value: unknown; path: Path }, name: string): string {
    if (typeof field.value === 'string' && field.value !== '') return field.value;
    const what =
      field.value === undefined ? 'is missing' : `must be a plain string, got ${JSON.stringify(field.value)}`;
    this.#problem(`TEMPLATE_${name.toUpperCase()}`, field.path, `${name} ${what}`);
    return '';
  }

  #codeDir(field: { value: unknown; path: Path }): string {
    const folder = dirname(resolve(this.#file));
    // SAM CLI uses the template's folder when CodeUri is absent.
    if (field.value === undefined) return folder;
    if (typeof field.value === 'string' && !field.value.startsWith('s3://'))
      return resolve(folder, field.value);
    this.#problem(
      'TEMPLATE_CODE_URI',
      field.path,
      'CodeUri must be a local path (S3 locations are not supported)',
    );
    return '';
  }

  #integer(
    field: { value: unknown; path: Path },
    fallback: number,
    min: number,
    max: number,
    unit: string,
  ): number {
    const v = field.value;
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    const key = String(field.path[field.path.length - 1]);
    this.#problem(
      'TEMPLATE_RANGE',
      field.path,
      `${key} must be an integer ${min}–${max} ${unit}, got ${JSON.stringify(v)}`,
    );
    return fallback;
  }

  #environment(
    id: string,
    globals: Record<string, unknown>,
    props: Record<string, unknown>,
  ): Record<string, string> {
    const out: Record<string, string> = {};
    const sources: [Record<string, unknown>, Path][] = [
      [globals, ['Globals', 'Function']],
      [props, ['Resources', id, 'Properties']],
    ];
    for (const [owner, base] of sources) {
      const env = owner.Environment;
      if (env === undefined) continue;
      const vars = isRecord(env) ? env.Variables : undefined;
      if (!isRecord(vars)) {
        this.#problem(
          'TEMPLATE_ENVIRONMENT',
          [...base, 'Environment'],
          'Environment must be {Variables: {NAME: value}}',
        );
        continue;
      }
      for (const [name, value] of Object.entries(vars)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          out[name] = String(value);
        } else {
          delete out[name];
          this.#notes.push(
            `${id}: Environment.Variables.${name} needs a deployed stack (${JSON.stringify(value)}); left unset`,
          );
        }
      }
    }
    return out;
  }

  #events(base: Path, value: unknown): SamEvent[] {
    if (value === undefined) return [];
    if (!isRecord(value)) {
      this.#problem(
        'TEMPLATE_EVENTS',
        [...base, 'Events'],
        'Events must map event names to {Type, Properties}',
      );
      return [];
    }
    const events: SamEvent[] = [];
    for (const [name, event] of Object.entries(value)) {
      const path = [...base, 'Events', name];
      if (!isRecord(event) || typeof event.Type !== 'string') {
        this.#problem('TEMPLATE_EVENT_TYPE', path, 'an event needs a Type (S3, SQS, Kinesis, Api, …)');
        continue;
      }
      const properties = isRecord(event.Properties) ? event.Properties : {};
      events.push({ name, type: event.Type, properties, position: this.#position(path) });
    }
    return events;
  }
}
