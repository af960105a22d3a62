/**
 * `--set path=value`: edits the parsed document before validation, so an overridden value is
 * checked like any other. Paths look like `sources.uploads.load[0].arrivalRate` (keys with dots
 * or spaces as `sources["Fn.Event"]`); the value is parsed as YAML (`10`, `2m`, `[128, 256]`).
 * Every segment but the last must already exist; the last may add a new key to a mapping.
 */
import { isMap, isSeq, type Node, parse as parseYamlValue } from 'yaml';
import { InputError, InputErrors } from '../core/errors.js';
import type { AppliedOverride } from './reporter.js';
import { didYouMean } from './suggest.js';
import { keyText, type ParsedYaml, type PathSegment } from './yaml-document.js';

/** Applies each `--set` in order; all bad arguments are reported together. */
export function applyOverrides(parsed: ParsedYaml, args: readonly string[]): AppliedOverride[] {
  const applied: AppliedOverride[] = [];
  const errors: InputError[] = [];
  for (const arg of args) {
    try {
      applied.push(applyOne(parsed, arg));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      errors.push(err);
    }
  }
  if (errors.length > 0) throw new InputErrors(errors);
  return applied;
}

function applyOne(parsed: ParsedYaml, arg: string): AppliedOverride {
  const fail = (message: string) =>
    new InputError('BAD_SET', message, { position: { file: `--set ${arg}` } });
  const eq = arg.indexOf('=');
  if (eq <= 0) throw fail('expected path=value, e.g. sources.uploads.load[0].arrivalRate=10');
  const path = parsePath(arg.slice(0, eq));
  if (!path) throw fail(`cannot read the path "${arg.slice(0, eq)}" (write a.b[0].c, or a["key.with.dots"])`);
  let value: unknown;
  try {
    value = parseYamlValue(arg.slice(eq + 1));
  } catch {
    throw fail(`the value "${arg.slice(eq + 1)}" is not valid YAML`);
  }
  const { doc } = parsed;
  // The new value keeps the old one's place in the file, so errors about it still have a line.
  const replacement = (old: unknown) => {
    const created = doc.createNode(value);
    const range = (old as { range?: Node['range'] } | null)?.range;
    if (range) created.range = range;
    return created;
  };
  let node: unknown = doc.contents;
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    const walked = path.slice(0, i).map(String).join('.') || 'the top level';
    if (isMap(node)) {
      if (typeof seg !== 'string')
        throw fail(`${walked} is a mapping, not a list: use .name instead of [${seg}]`);
      const pair = node.items.find((p) => keyText(p.key) === seg);
      if (last) {
        if (pair) pair.value = replacement(pair.value);
        else node.set(doc.createNode(seg), doc.createNode(value));
        break;
      }
      if (!pair) {
        const keys = node.items.map((p) => keyText(p.key)).filter((k): k is string => k !== undefined);
        throw fail(`${walked} has no key "${seg}"${didYouMean(seg, keys)}`);
      }
      node = pair.value;
    } else if (isSeq(node)) {
      if (typeof seg !== 'number')
        throw fail(`${walked} is a list: use an index like [0] instead of .${seg}`);
      if (seg >= node.items.length)
        throw fail(`${walked} has ${node.items.length} item(s); [${seg}] is past the end`);
      if (last) {
        node.items[seg] = replacement(node.items[seg]);
        break;
      }
      node = node.items[seg];
    } else {
      throw fail(`${walked} is a single value; it has no "${seg}" inside`);
    }
  }
  return { path, arg };
}

/** `a.b[0]["c.d"]` → ['a', 'b', 0, 'c.d']; undefined when it cannot be read. */
export function parsePath(text: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  const re = /([^.[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null) {
    if (m[1] !== undefined) {
      if (!expectKey) return undefined;
      segments.push(m[1]);
      expectKey = false;
    } else if (m[2] !== undefined) {
      segments.push(Number(m[2]));
      expectKey = false;
    } else if (m[3] !== undefined) {
      segments.push(m[3].replace(/\\(.)/g, '$1'));
      expectKey = false;
    } else {
      if (expectKey) return undefined;
      expectKey = true;
    }
    if (re.lastIndex === text.length) break;
    m = re.exec(text);
  }
  if (re.lastIndex !== text.length || expectKey || segments.length === 0) return undefined;
  return segments;
}
