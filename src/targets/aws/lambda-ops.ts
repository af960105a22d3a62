/** The control-plane calls the aws target and `lambench restore` share, through the SDK. */
import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListVersionsByFunctionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';

/** Longest wait for LastUpdateStatus to leave InProgress (AWS's own waiter default is 5 minutes). */
const UPDATE_WAIT_S = 300;

export function isNotFound(error: unknown): boolean {
  return (error as { name?: unknown }).name === 'ResourceNotFoundException';
}

export async function getConfiguration(
  lambda: LambdaClient,
  functionName: string,
  qualifier?: string,
): Promise<FunctionConfiguration> {
  return lambda.send(
    new GetFunctionConfigurationCommand({
      FunctionName: functionName,
      ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
    }),
  );
}

export interface ConfigurationChange {
  memorySize: number;
  timeout: number;
  environment: Record<string, string>;
}

/** UpdateFunctionConfiguration, then waits until LastUpdateStatus is Successful (fails on Failed). */
export async function updateAndWait(
  lambda: LambdaClient,
  functionName: string,
  change: ConfigurationChange,
): Promise<void> {
  await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: functionName,
      MemorySize: change.memorySize,
      Timeout: change.timeout,
      Environment: { Variables: change.environment },
    }),
  );
  await waitUntilFunctionUpdatedV2(
    { client: lambda, maxWaitTime: UPDATE_WAIT_S, minDelay: 1, maxDelay: 5 },
    { FunctionName: functionName },
  );
}

/** Every published version of a function (all pages). */
export async function listVersions(
  lambda: LambdaClient,
  functionName: string,
): Promise<FunctionConfiguration[]> {
  const out: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(
      new ListVersionsByFunctionCommand({
        FunctionName: functionName,
        ...(marker === undefined ? {} : { Marker: marker }),
      }),
    );
    out.push(...(page.Versions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

/** The Description lambench gives the versions a run publishes: `lambench <runId> <alias>`. */
export function versionDescription(runId: string, alias: string): string {
  return `lambench ${runId} ${alias}`;
}

export function isRunVersion(description: string | undefined, runId: string): boolean {
  return description?.startsWith(`lambench ${runId} `) === true;
}
