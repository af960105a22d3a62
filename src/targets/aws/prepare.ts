/**
 * A sweep setting on a real function: UpdateFunctionConfiguration on $LATEST (only what the
 * setting changes, merged over what is deployed), wait for LastUpdateStatus Successful,
 * PublishVersion, and an alias `lambench-<setting>` pointing at it. Every change is announced in
 * the restore journal before it is made. A function named with a qualifier (`fn:prod`) whose
 * version already has the setting is invoked as it is, without touching $LATEST.
 */
import {
  CreateAliasCommand,
  type FunctionConfiguration,
  GetAliasCommand,
  type GetAliasCommandOutput,
  type LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { InputError } from '../../core/errors.js';
import { aliasForSetting } from '../local.js';
import type { FunctionDefinition, FunctionSetting } from '../types.js';
import type { JournalFile } from './journal.js';
import {
  type ConfigurationChange,
  getConfiguration,
  isNotFound,
  isRunVersion,
  updateAndWait,
  versionDescription,
} from './lambda-ops.js';
import { type ProvisionOptions, provisionAlias } from './provisioned.js';

/** A function as the Lambda API is called with it: name or ARN, and the qualifier it was given with. */
export interface RemoteFunction {
  name: string;
  qualifier?: string;
}

/** Splits `name[:qualifier]` or `arn:aws:lambda:region:account:function:name[:qualifier]`. */
export function remoteFunction(fn: FunctionDefinition): RemoteFunction {
  const raw = fn.remoteName ?? fn.name;
  const parts = raw.split(':');
  const isArn = parts[0] === 'arn';
  const qualifierIndex = isArn ? 7 : 1;
  const qualifier = parts[qualifierIndex];
  if (qualifier === undefined) return { name: raw };
  return { name: parts.slice(0, qualifierIndex).join(':'), qualifier };
}

/** The marker variable forceColdStart changes so that PublishVersion creates a new version. */
export const COLD_MARKER = 'LAMBENCH_COLD_START_MARKER';

export interface PrepareContext {
  /** Waiting for provisioned concurrency to be READY (tests shorten the poll). */
  provision?: ProvisionOptions;
  lambda: LambdaClient;
  journal: JournalFile;
}

/** The alias lambench uses for a setting; prefixed so it never collides with the user's own aliases. */
export function awsAliasForSetting(setting: FunctionSetting): string {
  return `lambench-${aliasForSetting(setting)}`;
}

function environmentOf(config: FunctionConfiguration): Record<string, string> {
  return { ...(config.Environment?.Variables ?? {}) };
}

function sameEnvironment(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** The configuration a setting asks for, over what $LATEST had before the run. */
function desiredChange(
  base: FunctionConfiguration,
  fn: FunctionDefinition,
  setting: FunctionSetting,
  extraEnvironment: Record<string, string> = {},
): ConfigurationChange {
  return {
    memorySize: setting.memoryMB,
    // The deployed timeout stays unless the setting sweeps timeouts: the scenario's default is a local concern.
    timeout: setting.timeoutS ?? base.Timeout ?? fn.timeoutS,
    environment: { ...environmentOf(base), ...fn.environment, ...setting.environment, ...extraEnvironment },
  };
}

/** Prepares one setting; returns the qualifier to invoke. */
export async function prepareSetting(
  ctx: PrepareContext,
  fn: FunctionDefinition,
  setting: FunctionSetting,
): Promise<string> {
  const remote = remoteFunction(fn);
  if (remote.qualifier !== undefined) {
    const pinned = await getConfiguration(ctx.lambda, remote.name, remote.qualifier);
    const untouched =
      pinned.MemorySize === setting.memoryMB &&
      (setting.timeoutS === undefined || setting.timeoutS === pinned.Timeout) &&
      Object.keys(setting.environment ?? {}).length === 0;
    if (untouched) return remote.qualifier;
    const latest = await getConfiguration(ctx.lambda, remote.name);
    if (latest.CodeSha256 !== pinned.CodeSha256) {
      throw new InputError(
        'AWS_PINNED_CODE',
        `${fn.name}: ${remote.name}:${remote.qualifier} runs other code than $LATEST, and a new memory setting can only be published from $LATEST; deploy that code to $LATEST or sweep an unqualified name`,
      );
    }
  }
  const latest = await getConfiguration(ctx.lambda, remote.name);
  const deployedArchitecture = latest.Architectures?.[0] ?? 'x86_64';
  if (setting.architecture !== undefined && setting.architecture !== deployedArchitecture) {
    // Architectures is part of the code on Lambda (UpdateFunctionCode), not of the configuration.
    throw new InputError(
      'AWS_ARCHITECTURE',
      `${fn.name}: ${remote.name} is deployed for ${deployedArchitecture}; lambench does not redeploy code to switch to ${setting.architecture} — deploy a ${setting.architecture} copy and sweep it as its own function`,
    );
  }
  const entry = ctx.journal.fn(remote.name);
  const base = entry.original === undefined ? latest : originalAsConfiguration(entry.original, latest);
  const change = desiredChange(base, fn, setting);
  const alias = awsAliasForSetting(setting);
  await applyChange(ctx, remote.name, latest, change);
  const version = await publish(ctx, remote.name, alias);
  await pointAlias(ctx, remote.name, alias, version);
  if (fn.provisionedConcurrency !== undefined && fn.provisionedConcurrency > 0) {
    await provisionAlias(ctx, remote.name, alias, fn.provisionedConcurrency, ctx.provision);
  }
  return alias;
}

/** Publishes a fresh version of the alias's setting (a changed marker variable) and moves the alias. */
export async function forceColdStartSetting(
  ctx: PrepareContext,
  fn: FunctionDefinition,
  qualifier: string,
  marker: string,
): Promise<string> {
  const remote = remoteFunction(fn);
  const current = await getConfiguration(ctx.lambda, remote.name, qualifier);
  const latest = await getConfiguration(ctx.lambda, remote.name);
  const change: ConfigurationChange = {
    memorySize: current.MemorySize ?? latest.MemorySize ?? 128,
    timeout: current.Timeout ?? latest.Timeout ?? fn.timeoutS,
    environment: { ...environmentOf(current), [COLD_MARKER]: marker },
  };
  await applyChange(ctx, remote.name, latest, change);
  const alias = qualifier.startsWith('lambench-') ? qualifier : `lambench-cold-${qualifier}`;
  const version = await publish(ctx, remote.name, alias);
  await pointAlias(ctx, remote.name, alias, version);
  if (fn.provisionedConcurrency !== undefined && fn.provisionedConcurrency > 0) {
    await provisionAlias(ctx, remote.name, alias, fn.provisionedConcurrency, ctx.provision);
  }
  return alias;
}

function originalAsConfiguration(
  original: NonNullable<ReturnType<JournalFile['fn']>['original']>,
  latest: FunctionConfiguration,
): FunctionConfiguration {
  return {
    ...latest,
    MemorySize: original.memorySize,
    Timeout: original.timeout,
    Environment: { Variables: original.environment ?? {} },
  };
}

async function applyChange(
  ctx: PrepareContext,
  name: string,
  latest: FunctionConfiguration,
  change: ConfigurationChange,
): Promise<void> {
  const unchanged =
    latest.MemorySize === change.memorySize &&
    latest.Timeout === change.timeout &&
    sameEnvironment(environmentOf(latest), change.environment);
  if (unchanged) return;
  const entry = ctx.journal.fn(name);
  if (entry.original === undefined) {
    entry.original = {
      memorySize: latest.MemorySize ?? 128,
      timeout: latest.Timeout ?? 3,
      environment: latest.Environment?.Variables === undefined ? null : { ...latest.Environment.Variables },
    };
    ctx.journal.save();
  }
  await updateAndWait(ctx.lambda, name, change);
}

async function publish(ctx: PrepareContext, name: string, alias: string): Promise<string> {
  const runId = ctx.journal.data.runId;
  const out = await ctx.lambda.send(
    new PublishVersionCommand({ FunctionName: name, Description: versionDescription(runId, alias) }),
  );
  const version = out.Version;
  if (version === undefined) throw new Error(`PublishVersion of ${name} returned no version`);
  // Lambda hands back the newest version when nothing changed since; only our own are ours to delete.
  if (isRunVersion(out.Description, runId)) {
    const entry = ctx.journal.fn(name);
    if (!entry.createdVersions.includes(version)) {
      entry.createdVersions.push(version);
      ctx.journal.save();
    }
  }
  return version;
}

async function pointAlias(ctx: PrepareContext, name: string, alias: string, version: string): Promise<void> {
  const entry = ctx.journal.fn(name);
  let existing: GetAliasCommandOutput | undefined;
  try {
    existing = await ctx.lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (existing === undefined) {
    entry.createdAliases.push(alias);
    ctx.journal.save();
    await ctx.lambda.send(
      new CreateAliasCommand({
        FunctionName: name,
        Name: alias,
        FunctionVersion: version,
        Description: 'lambench',
      }),
    );
    return;
  }
  if (!entry.createdAliases.includes(alias) && entry.movedAliases[alias] === undefined) {
    const was: { functionVersion: string; additionalVersionWeights?: Record<string, number> } = {
      functionVersion: existing.FunctionVersion ?? '$LATEST',
    };
    const weights = existing.RoutingConfig?.AdditionalVersionWeights;
    if (weights !== undefined && Object.keys(weights).length > 0) was.additionalVersionWeights = weights;
    entry.movedAliases[alias] = was;
    ctx.journal.save();
  }
  await ctx.lambda.send(
    new UpdateAliasCommand({
      FunctionName: name,
      Name: alias,
      FunctionVersion: version,
      RoutingConfig: { AdditionalVersionWeights: {} },
    }),
  );
}
