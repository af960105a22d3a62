/**
 * Provisioned concurrency on AWS (`functions.<name>.provisioned`): put on the alias lambench
 * invokes, waited for until READY so the point measures provisioned environments from its first
 * call, journalled first (with whatever config the alias had) so the end of the run, Ctrl-C or
 * `lambench restore` deletes it — it bills by the hour while it exists.
 */
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  type LambdaClient,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { LambenchError } from '../../core/errors.js';
import type { JournalFile } from './journal.js';

export interface ProvisionOptions {
  /** Longest wait for READY (default 15 min: AWS takes minutes for large counts). */
  maxWaitMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The alias has no config (or the function is gone): nothing to read or delete. */
export function isNoConfig(error: unknown): boolean {
  const name = (error as { name?: unknown }).name;
  return name === 'ProvisionedConcurrencyConfigNotFoundException' || name === 'ResourceNotFoundException';
}

/** Puts `count` provisioned environments on `functionName:alias` and waits until they are READY. */
export async function provisionAlias(
  ctx: { lambda: LambdaClient; journal: JournalFile },
  functionName: string,
  alias: string,
  count: number,
  options: ProvisionOptions = {},
): Promise<void> {
  const entry = ctx.journal.fn(functionName);
  entry.provisioned ??= {};
  if (!(alias in entry.provisioned)) {
    entry.provisioned[alias] = await currentCount(ctx.lambda, functionName, alias);
    ctx.journal.save();
  }
  await ctx.lambda.send(
    new PutProvisionedConcurrencyConfigCommand({
      FunctionName: functionName,
      Qualifier: alias,
      ProvisionedConcurrentExecutions: count,
    }),
  );
  const maxWaitMs = options.maxWaitMs ?? 900_000;
  const pollMs = options.pollMs ?? 2000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  for (;;) {
    const got = await ctx.lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: alias }),
    );
    if (got.Status === 'READY') return;
    if (got.Status === 'FAILED') {
      throw new LambenchError(
        'AWS_PROVISIONED',
        `${functionName}:${alias}: provisioned concurrency ${count} failed: ${got.StatusReason ?? 'no reason given'}`,
      );
    }
    if (Date.now() - started + pollMs > maxWaitMs) {
      throw new LambenchError(
        'AWS_PROVISIONED',
        `${functionName}:${alias}: provisioned concurrency ${count} not READY after ${Math.round(maxWaitMs / 1000)} s (${got.Status})`,
      );
    }
    await sleep(pollMs);
  }
}

/** What restore does for one alias: the config it had put back, or none deleted. */
export async function restoreProvisioned(
  lambda: LambdaClient,
  functionName: string,
  alias: string,
  previous: number | null,
): Promise<void> {
  try {
    if (previous === null) {
      await lambda.send(
        new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: alias }),
      );
    } else {
      await lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: functionName,
          Qualifier: alias,
          ProvisionedConcurrentExecutions: previous,
        }),
      );
    }
  } catch (error) {
    if (!isNoConfig(error)) throw error;
  }
}

async function currentCount(
  lambda: LambdaClient,
  functionName: string,
  alias: string,
): Promise<number | null> {
  try {
    const got = await lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: alias }),
    );
    return got.RequestedProvisionedConcurrentExecutions ?? null;
  } catch (error) {
    if (isNoConfig(error)) return null;
    throw error;
  }
}
