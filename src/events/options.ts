/**
 * Typed access to a generator's options, with one clear InputError per bad value. Options arrive
 * from scenario YAML or CLI flags, so numbers may come as strings and maps as `k=v` lists.
 */
import { InputError } from '../core/errors.js';

export class OptionReader {
  readonly #source: string;
  readonly #values: Readonly<Record<string, unknown>>;

  constructor(source: string, values: Readonly<Record<string, unknown>>) {
    this.#source = source;
    this.#values = values;
  }

  has(name: string): boolean {
    return this.#values[name] !== undefined;
  }

  raw(name: string): unknown {
    return this.#values[name];
  }

  string(name: string): string | undefined {
    const v = this.#values[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(name, 'a string', v);
  }

  number(name: string, range?: { min?: number; max?: number; integer?: boolean }): number | undefined {
    const v = this.#values[name];
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    const min = range?.min ?? Number.NEGATIVE_INFINITY;
    const max = range?.max ?? Number.POSITIVE_INFINITY;
    const kind = range?.integer ? 'an integer' : 'a number';
    const bounds =
      range?.min !== undefined ? ` from ${min}${range.max !== undefined ? ` to ${max}` : ''}` : '';
    if (!Number.isFinite(n) || n < min || n > max || (range?.integer && !Number.isInteger(n))) {
      return this.fail(name, `${kind}${bounds}`, v);
    }
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.#values[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true') return true;
    if (v === 'false') return false;
    return this.fail(name, 'true or false', v);
  }

  /** A value that may be given as JSON text (CLI) or as structured data (YAML). */
  json(name: string): unknown {
    const v = this.#values[name];
    if (typeof v !== 'string') return v;
    const text = v.trim();
    if (!text.startsWith('{') && !text.startsWith('[')) return v;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return this.fail(name, 'valid JSON', v);
    }
  }

  /** An object of strings; also accepts `k=v` strings (one or a list) and JSON object text. */
  stringMap(name: string): Record<string, string> | undefined {
    const v = this.json(name);
    if (v === undefined || v === null) return undefined;
    const out: Record<string, string> = {};
    const pairs = typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
    if (pairs) {
      for (const pair of pairs) {
        const eq = typeof pair === 'string' ? pair.indexOf('=') : -1;
        if (typeof pair !== 'string' || eq <= 0) return this.fail(name, 'k=v pairs or an object', pair);
        out[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      return out;
    }
    if (typeof v === 'object') {
      for (const [k, val] of Object.entries(v)) {
        if (val === null || typeof val === 'object') return this.fail(`${name}.${k}`, 'a string', val);
        out[k] = String(val);
      }
      return out;
    }
    return this.fail(name, 'k=v pairs or an object', v);
  }

  /** A list of strings; a single string is a list of one. */
  stringList(name: string): string[] | undefined {
    const v = this.json(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
      return v.map(String);
    return this.fail(name, 'a string or a list of strings', v);
  }

  fail(name: string, expected: string, got: unknown): never {
    const shown = typeof got === 'string' ? JSON.stringify(got) : (JSON.stringify(got) ?? String(got));
    throw new InputError(
      'EVENT_OPTION',
      `${this.#source} option "${name}": expected ${expected}, got ${shown}`,
    );
  }
}

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  KIB: 1024,
  MIB: 1024 ** 2,
};

/** Parses `4096`, `"10KB"` or `"10KB..4MB"` (binary units) into an inclusive byte range. */
export function parseSizeRange(o: OptionReader, name: string): { min: number; max: number } | undefined {
  const v = o.raw(name);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { min: v, max: v };
  if (typeof v === 'string') {
    const parts = v.split('..').map(parseSize);
    const [a, b] = parts;
    if (parts.length === 1 && a !== undefined) return { min: a, max: a };
    if (parts.length === 2 && a !== undefined && b !== undefined && a <= b) return { min: a, max: b };
  }
  return o.fail(name, 'a size in bytes such as 4096, "10KB" or a range "10KB..4MB"', v);
}

function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m?.[1]) return undefined;
  const unit = UNITS[(m[2] || 'B').toUpperCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}
