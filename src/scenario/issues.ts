/**
 * zod issues → InputErrors with file:line:col, the field path, what was expected, and a
 * "did you mean" for near-miss keys and values.
 */
import type { z } from 'zod';
import type { Reporter } from './reporter.js';
import { closestName, didYouMean } from './suggest.js';
import type { PathSegment } from './yaml-document.js';

type Issue = z.core.$ZodIssue;

/** Messages for zod's generic issues; schema-specific messages are set on the schema itself. */
export const issueMessages: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined
        ? 'missing (required)'
        : `expected ${article(iss.expected)}, got ${describe(iss.input)}`;
    case 'invalid_value':
      return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(iss.input)}${
        typeof iss.input === 'string' ? didYouMean(iss.input, iss.values.map(String)) : ''
      }`;
    case 'too_small':
      return iss.origin === 'array'
        ? `expected at least ${iss.minimum} item(s)`
        : iss.origin === 'string'
          ? 'must not be empty'
          : `expected at least ${iss.minimum}, got ${describe(iss.input)}`;
    case 'too_big':
      return `expected at most ${iss.maximum}, got ${describe(iss.input)}`;
    default:
      return undefined;
  }
};

/** Records one problem per issue; unknown keys are pointed at the key itself. */
export function reportIssues(
  issues: readonly Issue[],
  reporter: Reporter,
  schema: z.ZodType,
  prefix: readonly PathSegment[] = [],
): void {
  for (const iss of issues) {
    const path = [...prefix, ...iss.path.filter((p): p is PathSegment => typeof p !== 'symbol')];
    if (iss.code === 'invalid_union') {
      const branch = matchingBranch(iss.errors);
      if (branch && !isPhaseObject(branch)) reportIssues(branch, reporter, schema, path);
      else if (branch) reporter.fail(path, PHASES_GO_IN_A_LIST);
      else reporter.fail(path, iss.message);
    } else if (iss.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      for (const key of iss.keys) reporter.fail([...path, key], unknownKeyMessage(key, known), { key: true });
    } else {
      reporter.fail(path, iss.message);
    }
  }
}

/**
 * The one union branch whose type matched the input (its problems are deeper down, so they are
 * the useful ones); undefined when none or several did, and the union's own message is better.
 */
function matchingBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  const matched = branches.filter(
    (issues) => !issues.some((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  return matched.length === 1 ? matched[0] : undefined;
}

const PHASES_GO_IN_A_LIST =
  'phases go in a list: load: [{ duration: 30s, arrivalRate: 5 }]; a mapping here is the closed model { concurrency, duration, thinkTime }';

/** A phase written without the list around it fails as a closed model with phase keys. */
function isPhaseObject(issues: readonly Issue[]): boolean {
  return issues.some(
    (i) => i.code === 'unrecognized_keys' && i.path.length === 0 && i.keys.some((k) => PHASE_KEYS.has(k)),
  );
}

const PHASE_KEYS = new Set(['arrivalRate', 'arrivalCount', 'rampTo', 'pause']);

function unknownKeyMessage(key: string, known: string[]): string {
  const hint = closestName(key, known);
  if (hint !== undefined) return `unknown key "${key}" (did you mean "${hint}"?)`;
  return known.length > 0
    ? `unknown key "${key}"; expected one of ${known.join(', ')}`
    : `unknown key "${key}"`;
}

interface DefLike {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

function defOf(schema: z.ZodType): DefLike {
  return schema._zod.def as unknown as DefLike;
}

/** The keys an object schema accepts at `path` (for "did you mean" on unknown keys). */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  const found = new Set<string>();
  collect(schema, path, found);
  return [...found];
}

function collect(schema: z.ZodType, path: readonly PathSegment[], out: Set<string>): void {
  const def = defOf(schema);
  const [head, ...rest] = path;
  const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  if (next) collect(next, path, out);
  else if (def.type === 'union') for (const option of def.options ?? []) collect(option, path, out);
  else if (head === undefined) {
    if (def.type === 'object') for (const k of Object.keys(def.shape ?? {})) out.add(k);
  } else if (def.type === 'object' && typeof head === 'string' && def.shape?.[head])
    collect(def.shape[head], rest, out);
  else if (def.type === 'record' && def.valueType) collect(def.valueType, rest, out);
  else if (def.type === 'array' && typeof head === 'number' && def.element) collect(def.element, rest, out);
}

function article(expected: string): string {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** A short description of a YAML value for messages: `"abc"`, `12`, a list, a mapping. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return String(value);
}
