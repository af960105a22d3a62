/**
 * The REST paths of the Lambda API the emulator serves, as @aws-sdk/client-lambda builds them
 * (the `http` traits of the 2015-03-31 service model), and the function-name forms Lambda accepts.
 */
import { invalidParameter } from './http-errors.js';

export const OPERATIONS = [
  'Invoke',
  'ListFunctions',
  'CreateFunction',
  'GetFunction',
  'DeleteFunction',
  'GetFunctionConfiguration',
  'UpdateFunctionConfiguration',
  'PublishVersion',
  'ListVersionsByFunction',
  'CreateAlias',
  'ListAliases',
  'GetAlias',
  'UpdateAlias',
  'DeleteAlias',
  'PutFunctionConcurrency',
  'GetFunctionConcurrency',
  'DeleteFunctionConcurrency',
  'GetAccountSettings',
  'PutProvisionedConcurrencyConfig',
  'GetProvisionedConcurrencyConfig',
  'DeleteProvisionedConcurrencyConfig',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface RouteMatch {
  operation: Operation;
  /** The {FunctionName} path parameter, decoded; absent for ListFunctions and CreateFunction. */
  functionName?: string;
  /** The {Name} path parameter of the alias operations, decoded. */
  aliasName?: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  operation: Operation;
}

const FN = '([^/]+)';
const route = (method: string, path: string, operation: Operation): Route => ({
  method,
  // A trailing slash is tolerated: botocore (the AWS CLI) sends `/2015-03-31/functions/`.
  pattern: new RegExp(`^${path}/?$`),
  operation,
});

// Invoke first: it is the hot path.
const ROUTES: readonly Route[] = [
  route('POST', `/2015-03-31/functions/${FN}/invocations`, 'Invoke'),
  route('GET', '/2015-03-31/functions', 'ListFunctions'),
  route('POST', '/2015-03-31/functions', 'CreateFunction'),
  route('GET', `/2015-03-31/functions/${FN}`, 'GetFunction'),
  route('DELETE', `/2015-03-31/functions/${FN}`, 'DeleteFunction'),
  route('GET', `/2015-03-31/functions/${FN}/configuration`, 'GetFunctionConfiguration'),
  route('PUT', `/2015-03-31/functions/${FN}/configuration`, 'UpdateFunctionConfiguration'),
  route('POST', `/2015-03-31/functions/${FN}/versions`, 'PublishVersion'),
  route('GET', `/2015-03-31/functions/${FN}/versions`, 'ListVersionsByFunction'),
  route('POST', `/2015-03-31/functions/${FN}/aliases`, 'CreateAlias'),
  route('GET', `/2015-03-31/functions/${FN}/aliases`, 'ListAliases'),
  route('GET', `/2015-03-31/functions/${FN}/aliases/${FN}`, 'GetAlias'),
  route('PUT', `/2015-03-31/functions/${FN}/aliases/${FN}`, 'UpdateAlias'),
  route('DELETE', `/2015-03-31/functions/${FN}/aliases/${FN}`, 'DeleteAlias'),
  route('PUT', `/2017-10-31/functions/${FN}/concurrency`, 'PutFunctionConcurrency'),
  route('GET', `/2019-09-30/functions/${FN}/concurrency`, 'GetFunctionConcurrency'),
  route('DELETE', `/2017-10-31/functions/${FN}/concurrency`, 'DeleteFunctionConcurrency'),
  route('GET', '/2016-08-19/account-settings', 'GetAccountSettings'),
  route('PUT', `/2019-09-30/functions/${FN}/provisioned-concurrency`, 'PutProvisionedConcurrencyConfig'),
  route('GET', `/2019-09-30/functions/${FN}/provisioned-concurrency`, 'GetProvisionedConcurrencyConfig'),
  route(
    'DELETE',
    `/2019-09-30/functions/${FN}/provisioned-concurrency`,
    'DeleteProvisionedConcurrencyConfig',
  ),
];

/** The operation a request addresses, or undefined when the emulator does not serve it. */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    const match: RouteMatch = { operation: r.operation };
    if (m[1] !== undefined) match.functionName = decodeSegment(m[1]);
    if (m[2] !== undefined) match.aliasName = decodeSegment(m[2]);
    return match;
  }
  return undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidParameter(`The path segment '${segment}' is not valid percent-encoding.`);
  }
}

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

// Lambda's FunctionName pattern: 1–64 letters, digits, hyphens and underscores.
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9_-]{1,128})$/;

/**
 * Splits the forms Lambda accepts for FunctionName — `name`, `name:qualifier`,
 * `123456789012:function:name[:qualifier]` and `arn:aws:lambda:region:account:function:name[:qualifier]`
 * — and reconciles the qualifier with a `?Qualifier=` query value (they must agree, as on AWS).
 */
export function parseFunctionRef(raw: string, queryQualifier?: string): FunctionRef {
  const parts = raw.split(':');
  let name: string | undefined;
  let qualifier: string | undefined;
  if (parts[0] === 'arn') {
    if (parts.length < 7 || parts.length > 8 || parts[5] !== 'function') throw badName(raw);
    [name, qualifier] = [parts[6], parts[7]];
  } else if (parts[1] === 'function') {
    if (parts.length < 3 || parts.length > 4) throw badName(raw);
    [name, qualifier] = [parts[2], parts[3]];
  } else {
    if (parts.length > 2) throw badName(raw);
    [name, qualifier] = [parts[0], parts[1]];
  }
  if (name === undefined || !NAME.test(name)) throw badName(raw);
  if (qualifier !== undefined && queryQualifier !== undefined && qualifier !== queryQualifier) {
    throw invalidParameter(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const q = qualifier ?? queryQualifier;
  if (q === undefined || q === '') return { name };
  if (!QUALIFIER.test(q))
    throw invalidParameter(`Qualifier '${q}' is not a version number, $LATEST or an alias name.`);
  return { name, qualifier: q };
}

function badName(raw: string) {
  return invalidParameter(
    `FunctionName '${raw}' is not a function name, name:qualifier, or a (partial) Lambda function ARN.`,
  );
}
