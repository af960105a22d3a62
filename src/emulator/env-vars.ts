/**
 * The environment variables a runtime expects inside Lambda (names and formats from the Runtime API
 * docs and RIE's constants). Only PATH, HOME and AWS credentials pass through from the host: the
 * function must not see the rest of the machine's environment.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { RuntimeInfo } from './runtimes.js';
import type { FunctionConfiguration } from './types.js';

const PASS_THROUGH = [
  'PATH',
  'HOME',
  'LANG',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];

export type InitializationType = 'on-demand' | 'provisioned-concurrency';

export interface EnvVarInput {
  config: FunctionConfiguration;
  runtime: RuntimeInfo;
  runtimeApi: string;
  runtimeDir: string;
  region: string;
  initType: InitializationType;
}

/** `YYYY/MM/DD/[$LATEST]<32 hex>`, one per environment as in CloudWatch. */
export function logStreamName(version: string, now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

export function lambdaEnvironment(input: EnvVarInput): Record<string, string> {
  const { config, runtime } = input;
  const env: Record<string, string> = {};
  for (const key of PASS_THROUGH) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, config.environment, {
    AWS_LAMBDA_RUNTIME_API: input.runtimeApi,
    _HANDLER: config.handler,
    LAMBDA_TASK_ROOT: resolve(config.codeDir),
    LAMBDA_RUNTIME_DIR: input.runtimeDir,
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: config.version,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(config.version),
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${runtime.id}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: input.initType,
    TZ: ':UTC',
  });
  if (runtime.family === 'python') env.PYTHONUNBUFFERED = '1';
  return env;
}
