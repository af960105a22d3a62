/**
 * YAML parsing that keeps positions: every later error (schema, cross-field, `--set`) is reported
 * at the line and column of the node it concerns, found again by walking the document by path.
 */
import { readFileSync } from 'node:fs';
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import { InputError, InputErrors, type SourcePosition } from '../core/errors.js';

export type PathSegment = string | number;

export interface ParsedYaml {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** Reads a file as UTF-8, turning a missing or unreadable file into one clear line. */
export function readText(file: string, what: string, position?: SourcePosition): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `no such ${what}`
        : code === 'EISDIR'
          ? `the ${what} is a folder, not a file`
          : `the ${what} cannot be read (${code})`;
    throw new InputError('FILE_NOT_FOUND', reason, {
      position: position ?? { file },
      cause: err,
    });
  }
}

/** Parses YAML text; syntax errors, duplicate keys and unknown tags become InputErrors. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings].map((e) => {
    const at = lines.linePos(e.pos[0]);
    const message =
      e.code === 'DUPLICATE_KEY'
        ? duplicateKeyMessage(text, e.pos)
        : `YAML syntax error: ${firstLine(e.message)}`;
    return new InputError('SCENARIO_YAML', message, { position: { file, line: at.line, column: at.col } });
  });
  if (problems.length > 0) throw new InputErrors(problems);
  return { file, doc, lines };
}

/** The document as plain data; alias bombs and dangling aliases are input errors, not crashes. */
export function toPlain(parsed: ParsedYaml): unknown {
  try {
    return parsed.doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    const message = err instanceof Error ? firstLine(err.message) : String(err);
    throw new InputError('SCENARIO_YAML', message, { position: { file: parsed.file }, cause: err });
  }
}

function duplicateKeyMessage(text: string, pos: [number, number]): string {
  const rest = text.slice(pos[0]);
  const key = (/^"[^"]*"|^'[^']*'|^[^:\n]+/.exec(rest)?.[0] ?? '').trim().replace(/^["']|["']$/g, '');
  return key ? `duplicate key "${key}": each key may appear once` : 'duplicate key: each key may appear once';
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * The node at `path`, or the deepest existing ancestor when the path runs past the document
 * (a missing key is reported where it should have been written). `key: true` points at the key
 * of the last segment instead of its value (unknown keys).
 */
export function nodeAt(parsed: ParsedYaml, path: readonly PathSegment[], key = false): Node | undefined {
  let node: unknown = parsed.doc.contents;
  for (const [i, seg] of path.entries()) {
    node = resolveAlias(parsed, node);
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return node;
      const next = last && key ? pair.key : (pair.value ?? pair.key);
      if (!isNodeLike(next)) return node;
      node = next;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
    } else {
      return isNodeLike(node) ? node : undefined;
    }
  }
  return isNodeLike(node) ? node : undefined;
}

/** File, line and column of the node at `path`, and the path as `a.b[0].c`. */
export function positionOf(parsed: ParsedYaml, path: readonly PathSegment[], key = false): SourcePosition {
  const node = nodeAt(parsed, path, key);
  const field = formatPath(path);
  const base: SourcePosition = field ? { file: parsed.file, field } : { file: parsed.file };
  const offset = node?.range?.[0];
  if (offset === undefined) return base;
  const at = parsed.lines.linePos(offset);
  return { ...base, line: at.line, column: at.col };
}

export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function resolveAlias(parsed: ParsedYaml, node: unknown): unknown {
  return isAlias(node) ? node.resolve(parsed.doc) : node;
}

function isNodeLike(x: unknown): x is Node {
  return isScalar(x) || isMap(x) || isSeq(x) || isAlias(x);
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** ['sources', 'uploads', 'load', 0, 'arrivalRate'] → `sources.uploads.load[0].arrivalRate`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
