/**
 * The Lambda API's JSON shapes: the emulator's configurations written with the exact member names
 * of the 2015-03-31 model (FunctionName, MemorySize, Environment.Variables, State, …), and request
 * bodies read back into the in-process API's inputs. Request bodies are `unknown` until checked here;
 * a wrong member is an InvalidParameterValueException naming it.
 */
import { createHash } from 'node:crypto';
import { invalidParameter, invalidRequestContent } from './http-errors.js';
import type {
  AliasConfiguration,
  CreateFunctionInput,
  FunctionConfiguration,
  UpdateFunctionConfigurationInput,
} from './types.js';

export type Json = Record<string, unknown>;

/** Lambda writes LastModified as `2024-05-01T12:00:00.000+0000`, not with a `Z`. */
function lambdaTimestamp(iso: string): string {
  return iso.endsWith('Z') ? `${iso.slice(0, -1)}+0000` : iso;
}

/** RevisionId changes whenever the configuration does, like Lambda's; a digest keeps it stable. */
function revisionId(value: unknown): string {
  const h = createHash('sha1').update(JSON.stringify(value)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function accountOf(functionArn: string): string {
  return functionArn.split(':')[4] ?? '123456789012';
}

/** A FunctionConfiguration as GetFunctionConfiguration returns it. */
export function configurationJson(c: FunctionConfiguration): Json {
  return {
    FunctionName: c.functionName,
    FunctionArn: c.functionArn,
    Runtime: c.runtime,
    Role: `arn:aws:iam::${accountOf(c.functionArn)}:role/lambench-local`,
    Handler: c.handler,
    CodeSize: 0,
    Description: c.description ?? '',
    Timeout: c.timeout,
    MemorySize: c.memorySize,
    LastModified: lambdaTimestamp(c.lastModified),
    CodeSha256: '',
    Version: c.version,
    Environment: { Variables: { ...c.environment } },
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: revisionId(c),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [process.arch === 'arm64' ? 'arm64' : 'x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${c.functionName}` },
  };
}

/** GetFunction's answer: the configuration, where the code is, and reserved concurrency if set. */
export function getFunctionJson(c: FunctionConfiguration, reserved: number | undefined): Json {
  const out: Json = {
    Configuration: configurationJson(c),
    Code: { RepositoryType: 'Local', Location: c.codeDir },
    Tags: {},
  };
  if (reserved !== undefined) out.Concurrency = { ReservedConcurrentExecutions: reserved };
  return out;
}

export function aliasJson(a: AliasConfiguration): Json {
  const out: Json = {
    AliasArn: a.aliasArn,
    Name: a.name,
    FunctionVersion: a.functionVersion,
    Description: a.description ?? '',
    RevisionId: revisionId(a),
  };
  if (a.additionalVersionWeights && Object.keys(a.additionalVersionWeights).length > 0) {
    out.RoutingConfig = { AdditionalVersionWeights: { ...a.additionalVersionWeights } };
  }
  return out;
}

/** Parses a control-plane request body; an empty body is an empty object. */
export function parseJsonBody(body: Buffer): Json {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw invalidRequestContent(`Could not parse request body into json: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequestContent('The request body must be a JSON object.');
  }
  return value as Json;
}

function optString(body: Json, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(`${key} must be a string.`);
  return v;
}

function reqString(body: Json, key: string): string {
  const v = optString(body, key);
  if (v === undefined || v === '') throw invalidParameter(`${key} is required.`);
  return v;
}

function optInteger(body: Json, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalidParameter(`${key} must be an integer from ${min} to ${max}; got ${JSON.stringify(v)}.`);
  }
  return v;
}

function optObject(body: Json, key: string): Json | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${key} must be an object.`);
  return v as Json;
}

function stringMap(value: Json, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalidParameter(`${key}.${k} must be a string.`);
    out[k] = v;
  }
  return out;
}

function environmentOf(body: Json): Record<string, string> | undefined {
  const env = optObject(body, 'Environment');
  if (env === undefined) return undefined;
  const vars = optObject(env, 'Variables');
  return vars === undefined ? {} : stringMap(vars, 'Environment.Variables');
}

/** Memory 128–10,240 MB and timeout 1–900 s: Lambda's limits. */
const MEMORY = [128, 10240] as const;
const TIMEOUT = [1, 900] as const;

export function parseUpdateConfiguration(body: Json): UpdateFunctionConfigurationInput {
  const input: UpdateFunctionConfigurationInput = {};
  const memorySize = optInteger(body, 'MemorySize', ...MEMORY);
  const timeout = optInteger(body, 'Timeout', ...TIMEOUT);
  const environment = environmentOf(body);
  const handler = optString(body, 'Handler');
  const runtime = optString(body, 'Runtime');
  const description = optString(body, 'Description');
  if (memorySize !== undefined) input.memorySize = memorySize;
  if (timeout !== undefined) input.timeout = timeout;
  if (environment !== undefined) input.environment = environment;
  if (handler !== undefined) input.handler = handler;
  if (runtime !== undefined) input.runtime = runtime;
  if (description !== undefined) input.description = description;
  return input;
}

/**
 * CreateFunction over HTTP. Code is on this machine, so the only Code form accepted is the
 * "hot-reload" convention other local emulators use: `Code: {S3Bucket: "hot-reload", S3Key: <dir>}`.
 */
export function parseCreateFunction(body: Json): CreateFunctionInput {
  const code = optObject(body, 'Code') ?? {};
  if (code.S3Bucket !== 'hot-reload' || typeof code.S3Key !== 'string' || code.S3Key === '') {
    throw invalidParameter(
      'Code must name a local directory: {"S3Bucket": "hot-reload", "S3Key": "/path/to/code"} (zip upload is not supported).',
    );
  }
  const input: CreateFunctionInput = {
    functionName: reqString(body, 'FunctionName'),
    codeDir: code.S3Key,
    handler: reqString(body, 'Handler'),
    runtime: reqString(body, 'Runtime'),
  };
  const memorySize = optInteger(body, 'MemorySize', ...MEMORY);
  const timeout = optInteger(body, 'Timeout', ...TIMEOUT);
  const environment = environmentOf(body);
  const description = optString(body, 'Description');
  if (memorySize !== undefined) input.memorySize = memorySize;
  if (timeout !== undefined) input.timeout = timeout;
  if (environment !== undefined) input.environment = environment;
  if (description !== undefined) input.description = description;
  return input;
}

function routingOf(body: Json): Record<string, number> | undefined {
  const routing = optObject(body, 'RoutingConfig');
  if (routing === undefined) return undefined;
  const weights = optObject(routing, 'AdditionalVersionWeights') ?? {};
  const out: Record<string, number> = {};
  for (const [version, w] of Object.entries(weights)) {
    if (typeof w !== 'number' || !(w >= 0 && w <= 1)) {
      throw invalidParameter(
        `RoutingConfig.AdditionalVersionWeights.${version} must be a number from 0.0 to 1.0.`,
      );
    }
    out[version] = w;
  }
  return out;
}

export function parseCreateAlias(body: Json): Omit<AliasConfiguration, 'aliasArn'> {
  const alias: Omit<AliasConfiguration, 'aliasArn'> = {
    name: reqString(body, 'Name'),
    functionVersion: reqString(body, 'FunctionVersion'),
  };
  const weights = routingOf(body);
  const description = optString(body, 'Description');
  if (weights !== undefined) alias.additionalVersionWeights = weights;
  if (description !== undefined) alias.description = description;
  return alias;
}

export function parseUpdateAlias(body: Json): Partial<Omit<AliasConfiguration, 'name' | 'aliasArn'>> {
  const update: Partial<Omit<AliasConfiguration, 'name' | 'aliasArn'>> = {};
  const version = optString(body, 'FunctionVersion');
  const weights = routingOf(body);
  const description = optString(body, 'Description');
  if (version !== undefined) update.functionVersion = version;
  if (weights !== undefined) update.additionalVersionWeights = weights;
  if (description !== undefined) update.description = description;
  return update;
}

export function parseReservedConcurrency(body: Json): number {
  const n = optInteger(body, 'ReservedConcurrentExecutions', 0, 1_000_000);
  if (n === undefined) throw invalidParameter('ReservedConcurrentExecutions is required.');
  return n;
}
