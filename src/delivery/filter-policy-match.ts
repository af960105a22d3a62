/**
 * Evaluation of compiled SNS filter-policy conditions against the values found for one key.
 * Semantics (SNS developer guide, "Filter policy" pages):
 *   - a key absent from the message matches only `{"exists": false}`;
 *   - a key with several values (String.Array / Number.Array attributes, arrays in the body) matches
 *     when ANY value matches — anything-but included ("contains a value that isn't …");
 *   - strings compare case-sensitively; numbers compare numerically with five decimal digits.
 */

export type Scalar = string | number | boolean | null;

export type Condition =
  | { kind: 'equals'; value: Scalar }
  | { kind: 'prefix'; value: string }
  | { kind: 'suffix'; value: string }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'anything-but'; values: Array<string | number> }
  | { kind: 'anything-but-prefix'; value: string }
  | { kind: 'numeric'; equals?: number; lower?: Bound; upper?: Bound }
  | { kind: 'exists'; value: boolean };

export interface Bound {
  value: number;
  inclusive: boolean;
}

/** What the message holds for one key: whether it is there, and its comparable values. */
export interface FieldValues {
  present: boolean;
  values: Scalar[];
}

/** SNS numeric matching is accurate to five digits after the decimal point. */
function fixed(n: number): number {
  return Math.round(n * 1e5);
}

function sameScalar(policy: Scalar, value: Scalar): boolean {
  if (typeof policy === 'number') return typeof value === 'number' && fixed(policy) === fixed(value);
  return policy === value;
}

function numericMatch(c: Extract<Condition, { kind: 'numeric' }>, value: Scalar): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const v = fixed(value);
  if (c.equals !== undefined) return v === fixed(c.equals);
  if (c.lower) {
    const lower = fixed(c.lower.value);
    if (c.lower.inclusive ? v < lower : v <= lower) return false;
  }
  if (c.upper) {
    const upper = fixed(c.upper.value);
    if (c.upper.inclusive ? v > upper : v >= upper) return false;
  }
  return true;
}

function scalarMatch(c: Condition, value: Scalar): boolean {
  switch (c.kind) {
    case 'equals':
      return sameScalar(c.value, value);
    case 'prefix':
      return typeof value === 'string' && value.startsWith(c.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(c.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === c.value.toLowerCase();
    case 'anything-but':
      return !c.values.some((v) => sameScalar(v, value));
    case 'anything-but-prefix':
      return typeof value === 'string' && !value.startsWith(c.value);
    case 'numeric':
      return numericMatch(c, value);
    case 'exists':
      return false; // handled on presence, never per value
  }
}

/** True when one of the key's conditions (OR within a key) matches the field. */
export function fieldMatches(conditions: readonly Condition[], field: FieldValues): boolean {
  return conditions.some((c) => {
    if (c.kind === 'exists') return c.value === field.present;
    return field.present && field.values.some((v) => scalarMatch(c, v));
  });
}
