/**
 * What a run against AWS will touch, read before anything changes: the account (STS
 * GetCallerIdentity), the region, the account's concurrency (GetAccountSettings), each function's
 * deployed memory, timeout and reserved concurrency, and what the sweep will publish. The CLI
 * prints it and asks for confirmation.
 */
import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { InputError } from '../../core/errors.js';
import type { FunctionDefinition } from '../types.js';
import { type AwsConnection, clientConfig, controlClient, resolvedRegion } from './clients.js';
import { getConfiguration, isNotFound } from './lambda-ops.js';
import { awsAliasForSetting, remoteFunction } from './prepare.js';

export interface PreflightFunction {
  definition: FunctionDefinition;
  /** The memory settings the sweep will run. */
  memoryMB: number[];
}

export interface PreflightInput {
  connection: AwsConnection;
  functions: PreflightFunction[];
  expectedInvocations: number;
  /** False when a closed-model source makes the count open-ended. */
  exact: boolean;
  /** The most the expected invocations can cost (each billed its whole timeout), USD. */
  estimatedCostUsd?: number;
}

export interface Preflight {
  account: string;
  region: string;
  lines: string[];
}

/** Reads the account and the functions and describes the run; missing functions are an InputError. */
export async function preflight(input: PreflightInput): Promise<Preflight> {
  const lambda = controlClient(input.connection);
  const sts = new STSClient(clientConfig(input.connection));
  try {
    const region = await resolvedRegion(lambda).catch((error: Error) => {
      throw new InputError(
        'AWS_REGION',
        `no AWS region: pass --region, set aws.region in the scenario, or set AWS_REGION (${error.message})`,
      );
    });
    const identity = await sts.send(new GetCallerIdentityCommand({})).catch((error: Error) => {
      throw new InputError('AWS_CREDENTIALS', `cannot identify the AWS account: ${error.message}`);
    });
    const account = identity.Account ?? 'unknown';
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    const lines = [
      `AWS account ${account} (${identity.Arn ?? 'unknown principal'}), region ${region}${input.connection.endpoint === undefined ? '' : `, endpoint ${input.connection.endpoint}`}`,
      `account concurrency: ${settings.AccountLimit?.ConcurrentExecutions ?? '?'} (unreserved ${settings.AccountLimit?.UnreservedConcurrentExecutions ?? '?'})`,
    ];
    for (const f of input.functions) lines.push(...(await describeFunction(lambda, f)));
    lines.push(
      `expected invocations: ${input.expectedInvocations}${input.exact ? '' : ' plus what closed-model sources add'}`,
    );
    if (input.estimatedCostUsd !== undefined) {
      lines.push(
        `estimated cost: at most $${input.estimatedCostUsd.toFixed(4)} (us-east-1 list price, every call billed its whole timeout; async retries extra)`,
      );
    }
    lines.push(
      'everything changed is restored at the end (a restore journal is written before the first change)',
    );
    return { account, region, lines };
  } finally {
    lambda.destroy();
    sts.destroy();
  }
}

async function describeFunction(lambda: LambdaClient, f: PreflightFunction): Promise<string[]> {
  const fn = f.definition;
  const remote = remoteFunction(fn);
  let config: Awaited<ReturnType<typeof getConfiguration>>;
  try {
    config = await getConfiguration(lambda, remote.name, remote.qualifier);
  } catch (error) {
    if (isNotFound(error)) {
      throw new InputError(
        'AWS_FUNCTION',
        `functions.${fn.name}: no function ${fn.remoteName ?? fn.name} in this account and region; deploy it first or set functions.${fn.name}.name`,
      );
    }
    throw error;
  }
  const concurrency = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: remote.name }));
  const reserved = concurrency.ReservedConcurrentExecutions;
  const aliases = f.memoryMB.map((memoryMB) => awsAliasForSetting({ memoryMB }));
  const pinnedAsIs = remote.qualifier !== undefined && f.memoryMB.every((m) => m === config.MemorySize);
  return [
    `function ${fn.name} → ${config.FunctionArn ?? remote.name}: ${config.MemorySize} MB, ${config.Timeout} s, reserved concurrency ${reserved ?? 'none'}`,
    pinnedAsIs
      ? `  invokes ${remote.qualifier} as deployed (no change)`
      : `  will set memory ${f.memoryMB.join(', ')} MB on $LATEST in turn, publish a version per setting, alias ${aliases.join(', ')}`,
  ];
}
