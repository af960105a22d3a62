/**
 * SNS subscription filter policies: validated up front and compiled into a predicate.
 *
 * Supported (SNS developer guide): exact string / number / true / false / null matching, prefix,
 * suffix, anything-but (values, or a prefix), numeric (=, <, <=, >, >= and two-sided ranges such as
 * [">", 0, "<=", 100]), exists true/false, equals-ignore-case, "$or"; AND across keys, OR within a
 * key's array. Scope MessageAttributes (default) matches String, String.Array, Number and
 * Number.Array attributes; scope MessageBody matches the JSON body, with nested keys.
 * Not supported: `cidr` (rejected with a clear error rather than silently ignored).
 */
import { InputError, type SourcePosition } from '../core/errors.js';
import {
  type Bound,
  type Condition,
  type FieldValues,
  fieldMatches,
  type Scalar,
} from './filter-policy-match.js';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** The parts of an SNS message a policy looks at; `record.Sns` of an SNS event fits as is. */
export interface SnsFilterMessage {
  Message?: string | null;
  MessageAttributes?: Record<string, { Type: string; Value: string }> | null;
}

export type MessageFilter = (message: SnsFilterMessage) => boolean;

interface PolicyNode {
  fields: Array<{ name: string; conditions?: Condition[]; nested?: PolicyNode }>;
  /** Each entry is one "$or": the node matches when any of its branches does. */
  ors: PolicyNode[][];
}

const OPERATORS = ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case', 'cidr'];
/** SNS limits numeric values to ±10^9. */
const NUMERIC_LIMIT = 1e9;
/** SNS rejects a policy whose combination of values (product of array lengths) exceeds 150. */
const MAX_COMBINATIONS = 150;

/**
 * Compiles a filter policy (object or JSON text) into a predicate; throws an InputError naming the
 * offending field for a malformed policy. `where` places the error in the scenario file.
 */
export function compileFilterPolicy(
  policy: unknown,
  scope: FilterPolicyScope = 'MessageAttributes',
  where?: SourcePosition,
): MessageFilter {
  const base = where?.field ?? 'filterPolicy';
  const fail = (path: string, message: string): never => {
    throw where
      ? new InputError('INVALID_FILTER_POLICY', message, { position: { ...where, field: path } })
      : new InputError('INVALID_FILTER_POLICY', `${path}: ${message}`);
  };
  let parsed = policy;
  if (typeof policy === 'string') {
    try {
      parsed = JSON.parse(policy);
    } catch (error) {
      fail(base, `not valid JSON (${(error as Error).message})`);
    }
  }
  const root = compileNode(parsed, base, scope, fail);
  const combinations = countCombinations(root);
  if (combinations > MAX_COMBINATIONS) {
    fail(base, `the policy combines ${combinations} values; SNS allows at most ${MAX_COMBINATIONS}`);
  }
  if (scope === 'MessageAttributes') {
    return (message) => nodeMatches(root, attributeScope(message.MessageAttributes));
  }
  return (message) => {
    const body = parseBody(message.Message);
    return body !== undefined && nodeMatches(root, objectScope(body));
  };
}

type Fail = (path: string, message: string) => never;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "$or" is an operator only for an array of at least two policy objects (SNS's rule); otherwise a key name. */
function isOrOperator(value: unknown): value is Record<string, unknown>[] {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((v) => isPlainObject(v) && !Object.keys(v).some((k) => OPERATORS.includes(k)))
  );
}

function compileNode(value: unknown, path: string, scope: FilterPolicyScope, fail: Fail): PolicyNode {
  if (!isPlainObject(value)) return fail(path, 'expected a JSON object of keys to match values');
  const node: PolicyNode = { fields: [], ors: [] };
  for (const [name, spec] of Object.entries(value)) {
    const at = `${path}.${name}`;
    if (name === '$or' && isOrOperator(spec)) {
      node.ors.push(spec.map((branch, i) => compileNode(branch, `${at}[${i}]`, scope, fail)));
    } else if (Array.isArray(spec)) {
      if (spec.length === 0) fail(at, 'expected at least one match value');
      node.fields.push({ name, conditions: spec.map((c, i) => compileCondition(c, `${at}[${i}]`, fail)) });
    } else if (isPlainObject(spec)) {
      if (scope !== 'MessageBody') {
        fail(
          at,
          'nested keys are only allowed with FilterPolicyScope MessageBody; expected an array of match values',
        );
      }
      node.fields.push({ name, nested: compileNode(spec, at, scope, fail) });
    } else {
      fail(at, `expected an array of match values, got ${JSON.stringify(spec)}`);
    }
  }
  return node;
}

function checkNumber(value: unknown, path: string, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail(path, `expected a number, got ${JSON.stringify(value)}`);
  if (Math.abs(value) > NUMERIC_LIMIT)
    return fail(path, `numbers must be between -1e9 and 1e9, got ${value}`);
  return value;
}

function checkString(value: unknown, path: string, fail: Fail): string {
  return typeof value === 'string' ? value : fail(path, `expected a string, got ${JSON.stringify(value)}`);
}

function compileCondition(spec: unknown, path: string, fail: Fail): Condition {
  if (typeof spec === 'number') return { kind: 'equals', value: checkNumber(spec, path, fail) };
  if (typeof spec === 'string' || typeof spec === 'boolean' || spec === null)
    return { kind: 'equals', value: spec };
  if (!isPlainObject(spec))
    return fail(path, `expected a string, number, true, false, null or an operator object`);
  const keys = Object.keys(spec);
  const op = keys[0];
  if (keys.length !== 1 || op === undefined) {
    return fail(
      path,
      `an operator object has exactly one of ${OPERATORS.join(', ')}; got {${keys.join(', ')}}`,
    );
  }
  const arg = spec[op];
  const at = `${path}.${op}`;
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      return { kind: op, value: checkString(arg, at, fail) };
    case 'exists':
      return typeof arg === 'boolean' ? { kind: 'exists', value: arg } : fail(at, 'expected true or false');
    case 'numeric':
      return compileNumeric(arg, at, fail);
    case 'anything-but':
      return compileAnythingBut(arg, at, fail);
    case 'cidr':
      return fail(at, 'IP address (cidr) matching is not supported by lambench');
    default:
      return fail(path, `unknown operator "${op}"; expected one of ${OPERATORS.join(', ')}`);
  }
}

function compileAnythingBut(arg: unknown, path: string, fail: Fail): Condition {
  if (typeof arg === 'string') return { kind: 'anything-but', values: [arg] };
  if (typeof arg === 'number') return { kind: 'anything-but', values: [checkNumber(arg, path, fail)] };
  if (Array.isArray(arg) && arg.length > 0) {
    const values = arg.map((v, i) => (typeof v === 'string' ? v : checkNumber(v, `${path}[${i}]`, fail)));
    return { kind: 'anything-but', values };
  }
  if (isPlainObject(arg) && Object.keys(arg).length === 1 && typeof arg.prefix === 'string') {
    return { kind: 'anything-but-prefix', value: arg.prefix };
  }
  return fail(path, 'expected a string, a number, a non-empty list of them, or {"prefix": "…"}');
}

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);

function compileNumeric(arg: unknown, path: string, fail: Fail): Condition {
  const shape = 'expected ["=", n], [op, n] or [">"|">=", low, "<"|"<=", high]';
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) return fail(path, shape);
  const condition: Extract<Condition, { kind: 'numeric' }> = { kind: 'numeric' };
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const value = checkNumber(arg[i + 1], `${path}[${i + 1}]`, fail);
    const bound: Bound = { value, inclusive: op === '>=' || op === '<=' };
    if (op === '=' && arg.length === 2) condition.equals = value;
    else if (LOWER.has(op) && !condition.lower) condition.lower = bound;
    else if (UPPER.has(op) && !condition.upper) condition.upper = bound;
    else return fail(`${path}[${i}]`, `${shape}, got ${JSON.stringify(op)}`);
  }
  if (condition.lower && condition.upper && condition.lower.value >= condition.upper.value) {
    return fail(path, 'the lower bound must be below the upper bound');
  }
  return condition;
}

function countCombinations(node: PolicyNode): number {
  let total = 1;
  for (const f of node.fields)
    total *= f.conditions ? f.conditions.length : countCombinations(f.nested as PolicyNode);
  for (const branches of node.ors) total *= branches.reduce((sum, b) => sum + countCombinations(b), 0);
  return total;
}

/** Where a policy node looks its keys up: the attributes, or one object level of the body. */
interface Scope {
  field(name: string): FieldValues;
  child(name: string): Scope;
}

const ABSENT: FieldValues = { present: false, values: [] };

function nodeMatches(node: PolicyNode, scope: Scope): boolean {
  const fieldsOk = node.fields.every((f) =>
    f.conditions
      ? fieldMatches(f.conditions, scope.field(f.name))
      : nodeMatches(f.nested as PolicyNode, scope.child(f.name)),
  );
  return fieldsOk && node.ors.every((branches) => branches.some((b) => nodeMatches(b, scope)));
}

function attributeScope(attributes: SnsFilterMessage['MessageAttributes']): Scope {
  const scope: Scope = {
    field: (name) => attributeValues(attributes?.[name]),
    child: () => emptyScope,
  };
  return scope;
}

const emptyScope: Scope = { field: () => ABSENT, child: () => emptyScope };

/** Attribute values as comparable scalars; only String, String.Array, Number and Number.Array carry values. */
function attributeValues(attribute: { Type: string; Value: string } | undefined): FieldValues {
  if (!attribute) return { present: false, values: [] };
  const { Type: type, Value: value } = attribute;
  if (type === 'String') return { present: true, values: [value] };
  if (type === 'Number') {
    const n = Number(value);
    return { present: true, values: Number.isFinite(n) ? [n] : [] };
  }
  if (type === 'String.Array' || type === 'Number.Array') {
    try {
      const list: unknown = JSON.parse(value);
      if (Array.isArray(list)) return { present: true, values: list.filter(isScalar) };
    } catch {
      // not a JSON array: SNS would have refused the publish; match it as a plain string
    }
    return { present: true, values: [value] };
  }
  return { present: true, values: [] }; // Binary: present (for exists) but never compared
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function parseBody(message: string | null | undefined): Record<string, unknown> | undefined {
  if (typeof message !== 'string') return undefined;
  try {
    const body: unknown = JSON.parse(message);
    return isPlainObject(body) ? body : undefined;
  } catch {
    return undefined; // a non-JSON body never matches a MessageBody policy
  }
}

/** Body values: a scalar, or the scalar elements of an array; objects are present but not compared. */
function objectScope(obj: Record<string, unknown> | undefined): Scope {
  if (!obj) return emptyScope;
  return {
    field(name) {
      if (!Object.hasOwn(obj, name)) return ABSENT;
      const value = obj[name];
      if (Array.isArray(value)) return { present: true, values: value.filter(isScalar) };
      return { present: true, values: isScalar(value) ? [value] : [] };
    },
    child(name) {
      const value = obj[name];
      return objectScope(isPlainObject(value) ? value : undefined);
    },
  };
}
