/**
 * Function identifiers as the Lambda API accepts them: `name`, `name:qualifier`, a partial ARN
 * `123456789012:function:name[:qualifier]` or a full ARN `arn:aws:lambda:r:acct:function:name[:q]`.
 */
import { invalidParameter } from './service-errors.js';

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

const FULL =
  /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;
const PARTIAL = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;
const PLAIN = /^([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;

/** Parses a FunctionName; `qualifier` (the separate parameter) must agree with one in the name. */
export function parseFunctionRef(functionName: string, qualifier?: string): FunctionRef {
  const [name, inName] = splitName(functionName);
  if (inName !== undefined && qualifier !== undefined && inName !== qualifier) {
    throw invalidParameter(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const q = inName ?? qualifier;
  return q === undefined ? { name } : { name, qualifier: q };
}

function splitName(functionName: string): [name: string, qualifier: string | undefined] {
  let m = FULL.exec(functionName);
  if (m) return [m[3] as string, m[4]];
  m = PARTIAL.exec(functionName);
  if (m) return [m[2] as string, m[3]];
  m = PLAIN.exec(functionName);
  if (m) return [m[1] as string, m[2]];
  throw invalidParameter(
    `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: a name, name:qualifier or function ARN`,
  );
}

export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}
