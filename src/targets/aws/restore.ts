/**
 * Puts back what a run changed, from its journal: $LATEST's memory, timeout and environment, the
 * aliases it moved; deletes the aliases and versions it created. Each step is tried even when an
 * earlier one failed, so one refusal does not leave the rest behind; the problems are returned.
 */

import {
  DeleteAliasCommand,
  DeleteFunctionCommand,
  type LambdaClient,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import type { FunctionJournal, JournalFile } from './journal.js';
import { isNotFound, isRunVersion, listVersions, updateAndWait } from './lambda-ops.js';
import { restoreProvisioned } from './provisioned.js';

export interface RestoreOutcome {
  /** One line per thing put back or deleted. */
  done: string[];
  /** One line per step that failed (the journal stays un-restored then). */
  problems: string[];
}

/** Restores every function in the journal; marks it restored when nothing failed. */
export async function restoreFromJournal(
  journal: JournalFile,
  lambda: LambdaClient,
): Promise<RestoreOutcome> {
  const outcome: RestoreOutcome = { done: [], problems: [] };
  for (const [name, entry] of Object.entries(journal.data.functions)) {
    await restoreFunction(lambda, name, entry, journal.data.runId, outcome);
  }
  if (outcome.problems.length === 0) {
    journal.data.restoredAt = new Date().toISOString();
    journal.save();
  }
  return outcome;
}

async function restoreFunction(
  lambda: LambdaClient,
  name: string,
  entry: FunctionJournal,
  runId: string,
  outcome: RestoreOutcome,
): Promise<void> {
  const step = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      outcome.done.push(`${name}: ${what}`);
    } catch (error) {
      if (isNotFound(error)) outcome.done.push(`${name}: ${what} (already gone)`);
      else outcome.problems.push(`${name}: ${what} failed: ${(error as Error).message}`);
    }
  };
  const original = entry.original;
  if (original !== undefined) {
    await step(`$LATEST back to ${original.memorySize} MB, ${original.timeout} s`, () =>
      updateAndWait(lambda, name, {
        memorySize: original.memorySize,
        timeout: original.timeout,
        environment: original.environment ?? {},
      }),
    );
  }
  for (const [alias, was] of Object.entries(entry.movedAliases)) {
    await step(`alias ${alias} back to version ${was.functionVersion}`, () =>
      lambda.send(
        new UpdateAliasCommand({
          FunctionName: name,
          Name: alias,
          FunctionVersion: was.functionVersion,
          RoutingConfig: { AdditionalVersionWeights: was.additionalVersionWeights ?? {} },
        }),
      ),
    );
  }
  // Provisioned concurrency first: it bills while it exists, and it sits on the aliases below.
  for (const [alias, previous] of Object.entries(entry.provisioned ?? {})) {
    const what =
      previous === null
        ? `provisioned concurrency on ${alias} deleted`
        : `provisioned concurrency on ${alias} back to ${previous}`;
    await step(what, () => restoreProvisioned(lambda, name, alias, previous));
  }
  for (const alias of entry.createdAliases) {
    await step(`alias ${alias} deleted`, () =>
      lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: alias })),
    );
  }
  // Versions published by this run: the recorded ones, and any a crash left unrecorded (found by Description).
  const versions = new Set(entry.createdVersions);
  try {
    for (const v of await listVersions(lambda, name)) {
      if (v.Version !== undefined && isRunVersion(v.Description, runId)) versions.add(v.Version);
    }
  } catch (error) {
    if (!isNotFound(error))
      outcome.problems.push(`${name}: listing versions failed: ${(error as Error).message}`);
  }
  for (const version of [...versions].sort((a, b) => Number(a) - Number(b))) {
    await step(`version ${version} deleted`, () =>
      lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: version })),
    );
  }
}
