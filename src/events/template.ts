/**
 * `{{ }}` templates in event options and scenario fields, rendered with a seeded Faker.
 *
 *   {{ faker.<module>.<method> }}                 any of Faker's own methods
 *   {{ faker.number.int({"min":1,"max":9}) }}     arguments are JSON values, comma-separated
 *   {{ index }}                                   the arrival index (0-based)
 *   {{ now }}  {{ now.epoch }}  {{ now.ms }}      ISO 8601, epoch seconds, epoch milliseconds
 *   {{ vars.name }}  or  {{ name }}               a variable (a CSV payload row, …)
 *
 * Nothing else can be called, so a template can never run arbitrary code. A string that is exactly
 * one `{{ }}` keeps a number or boolean result as that type when rendered through `renderDeep`
 * (`{ size: "{{ faker.number.int }}" }` gives a number); `render` always returns a string.
 */
import type { Faker } from '@faker-js/faker';
import { closest } from 'fastest-levenshtein';
import { InputError } from '../core/errors.js';
import { createEventFaker } from './random.js';

export interface TemplateScope {
  faker: Faker;
  index: number;
  /** Epoch milliseconds. */
  now: number;
  vars: Record<string, string>;
}

export interface CompiledTemplate {
  readonly isStatic: boolean;
  render(scope: TemplateScope): string;
}

/** A template problem: code TEMPLATE, exit code 2, with the 1-based column in the template text. */
export class TemplateError extends InputError {
  override name = 'TemplateError';
  readonly column: number;
  constructor(column: number, message: string, cause?: unknown) {
    super('TEMPLATE', `template column ${column}: ${message}`, cause === undefined ? {} : { cause });
    this.column = column;
  }
}

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'faker'; module: string; method: string; args: unknown[]; column: number }
  | { kind: 'index' }
  | { kind: 'now'; format: 'iso' | 'epoch' | 'ms' }
  | { kind: 'var'; name: string; column: number };

class Template implements CompiledTemplate {
  readonly isStatic: boolean;
  readonly #parts: readonly Part[];
  readonly #single: boolean;

  constructor(parts: readonly Part[]) {
    this.#parts = parts;
    this.isStatic = parts.every((p) => p.kind === 'text');
    this.#single = parts.length === 1 && !this.isStatic;
  }

  render(scope: TemplateScope): string {
    let out = '';
    for (const part of this.#parts) out += toText(evaluate(part, scope));
    return out;
  }

  /** Like render, but a lone `{{ }}` that yields a number or boolean keeps its type. */
  value(scope: TemplateScope): unknown {
    const first = this.#parts[0];
    if (this.#single && first) {
      const v = evaluate(first, scope);
      if (typeof v === 'number' || typeof v === 'boolean') return v;
      return toText(v);
    }
    return this.render(scope);
  }
}

/** Parses and checks a template without rendering it; throws TemplateError with the column. */
export function compileTemplate(text: string): CompiledTemplate {
  return compile(text);
}

function compile(text: string): Template {
  const parts: Part[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    if (open > pos) parts.push({ kind: 'text', text: text.slice(pos, open) });
    const parser = new ExprParser(text, open + 2);
    parts.push(parser.parse());
    pos = parser.pos;
  }
  if (pos < text.length) parts.push({ kind: 'text', text: text.slice(pos) });
  return new Template(parts);
}

const IDENT = /[A-Za-z_$][\w$-]*/y;

class ExprParser {
  pos: number;
  readonly #text: string;
  readonly #open: number;

  constructor(text: string, start: number) {
    this.#text = text;
    this.#open = start - 2;
    this.pos = start;
  }

  parse(): Part {
    this.#skipSpace();
    const column = this.pos + 1;
    const path = [this.#ident()];
    while (this.#text[this.pos] === '.') {
      this.pos++;
      path.push(this.#ident());
    }
    this.#skipSpace();
    let args: unknown[] | undefined;
    if (this.#text[this.pos] === '(') args = this.#args();
    this.#skipSpace();
    if (!this.#text.startsWith('}}', this.pos)) {
      const what = this.pos >= this.#text.length ? 'end of text' : `"${this.#text[this.pos]}"`;
      throw new TemplateError(
        this.pos + 1,
        `expected "}}" to close the "{{" at column ${this.#open + 1}, found ${what}`,
      );
    }
    this.pos += 2;
    return resolve(path, args, column);
  }

  #skipSpace(): void {
    while (this.#text[this.pos] === ' ' || this.#text[this.pos] === '\t') this.pos++;
  }

  #ident(): string {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.#text);
    if (!m) {
      const found = this.pos >= this.#text.length ? 'end of text' : `"${this.#text[this.pos]}"`;
      throw new TemplateError(this.pos + 1, `expected a name (faker.…, index, now, vars.…), found ${found}`);
    }
    this.pos += m[0].length;
    return m[0];
  }

  /** Reads `( json, json, … )`, skipping parentheses inside JSON strings. */
  #args(): unknown[] {
    const start = this.pos;
    let depth = 0;
    let inString = false;
    for (; this.pos < this.#text.length; this.pos++) {
      const ch = this.#text[this.pos];
      if (inString) {
        if (ch === '\\') this.pos++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) break;
    }
    if (depth !== 0) throw new TemplateError(start + 1, 'unclosed "(" in the arguments');
    const inner = this.#text.slice(start + 1, this.pos);
    this.pos++;
    try {
      const parsed: unknown = JSON.parse(`[${inner}]`);
      return parsed as unknown[];
    } catch (err) {
      throw new TemplateError(
        start + 2,
        `arguments must be JSON values, e.g. {"min":1,"max":9}: ${inner}`,
        err,
      );
    }
  }
}

const NOW_FORMATS = { iso: 'iso', epoch: 'epoch', ms: 'ms' } as const;
const NAMES = ['faker', 'index', 'now', 'now.epoch', 'now.ms', 'vars'];

function resolve(path: string[], args: unknown[] | undefined, column: number): Part {
  const [head, ...rest] = path;
  const dotted = path.join('.');
  if (args !== undefined && head !== 'faker') {
    throw new TemplateError(column, `only faker methods take arguments, not "${dotted}"`);
  }
  if (head === 'faker') return fakerPart(rest, args ?? [], column);
  if (head === 'index' && rest.length === 0) return { kind: 'index' };
  if (head === 'now' && rest.length <= 1) {
    const format = rest.length === 0 ? 'iso' : NOW_FORMATS[rest[0] as keyof typeof NOW_FORMATS];
    if (format) return { kind: 'now', format };
  }
  if (head === 'vars' && rest.length === 1 && rest[0]) return { kind: 'var', name: rest[0], column };
  if (head !== undefined && path.length === 1 && !NAMES.includes(head))
    return { kind: 'var', name: head, column };
  throw new TemplateError(column, `unknown name "${dotted}" (did you mean ${closest(dotted, NAMES)}?)`);
}

let reference: Faker | undefined;

/** Only Faker's own module methods: no prototype members, no private or non-function members. */
function fakerPart(rest: string[], args: unknown[], column: number): Part {
  reference ??= createEventFaker();
  const ref = reference as unknown as Record<string, unknown>;
  const modules = Object.keys(ref).filter((k) => isModule(ref[k]) && !k.startsWith('_'));
  const [module, method, ...extra] = rest;
  if (module === undefined || !modules.includes(module)) {
    const hint = module === undefined ? '' : ` (did you mean faker.${closest(module, modules)}?)`;
    throw new TemplateError(column, `unknown faker module "faker.${module ?? ''}"${hint}`);
  }
  const mod = ref[module] as Record<string, unknown>;
  const methods = methodNames(mod);
  if (method === undefined || extra.length > 0 || !methods.includes(method)) {
    const name = [module, method, ...extra].filter(Boolean).join('.');
    const hint = method === undefined ? '' : ` (did you mean faker.${module}.${closest(method, methods)}?)`;
    throw new TemplateError(column, `unknown faker method "faker.${name}"${hint}`);
  }
  return { kind: 'faker', module, method, args, column };
}

function isModule(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && methodNames(value as Record<string, unknown>).length > 0
  );
}

function methodNames(mod: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (
    let proto: object | null = mod;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && !name.startsWith('_') && typeof mod[name] === 'function') names.add(name);
    }
  }
  return [...names];
}

function evaluate(part: Part, scope: TemplateScope): unknown {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'index':
      return scope.index;
    case 'now':
      if (part.format === 'epoch') return Math.floor(scope.now / 1000);
      if (part.format === 'ms') return scope.now;
      return new Date(scope.now).toISOString();
    case 'var': {
      const value = scope.vars[part.name];
      if (value === undefined) {
        const known = Object.keys(scope.vars);
        const hint = known.length ? ` (known: ${known.join(', ')})` : ' (no variables are defined)';
        throw new TemplateError(part.column, `unknown variable "${part.name}"${hint}`);
      }
      return value;
    }
    case 'faker':
      return callFaker(part, scope.faker);
  }
}

function callFaker(part: Extract<Part, { kind: 'faker' }>, faker: Faker): unknown {
  const mod = (faker as unknown as Record<string, Record<string, unknown>>)[part.module];
  const fn = mod?.[part.method];
  if (typeof fn !== 'function') {
    throw new TemplateError(part.column, `faker.${part.module}.${part.method} is not available`);
  }
  try {
    return (fn as (...a: unknown[]) => unknown).apply(mod, part.args);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new TemplateError(part.column, `faker.${part.module}.${part.method} failed: ${why}`, err);
  }
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const MAX_CACHED = 10_000;
const cache = new Map<string, Template>();

function cached(text: string): Template {
  let template = cache.get(text);
  if (!template) {
    if (cache.size >= MAX_CACHED) cache.clear();
    template = compile(text);
    cache.set(text, template);
  }
  return template;
}

/** True when a string, or any string leaf of an object or array, holds a `{{`. */
export function hasTemplates(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(hasTemplates);
  if (isPlainObject(value)) return Object.values(value).some(hasTemplates);
  return false;
}

/** Renders every string leaf of `value` (objects and arrays are copied, other values kept). */
export function renderDeep(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return value.includes('{{') ? cached(value).value(scope) : value;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, scope));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderDeep(v, scope);
    return out;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
