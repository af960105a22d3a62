/**
 * The one place a run's Target is chosen: the embedded emulator for `target: local`, real Lambda
 * (or an endpoint speaking its protocols) for `target: aws`.
 */
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { createEmulator } from '../emulator/index.js';
import type { Scenario } from '../scenario/types.js';
import type { AwsConnection } from './aws/clients.js';
import { createAwsTarget } from './aws/target.js';
import { createLocalTarget } from './local.js';
import type { Target } from './types.js';

/** Command-line settings for the aws target; each wins over the scenario's `aws:` block. */
export interface AwsRunOptions extends AwsConnection {
  invokePath?: 'http' | 'sdk';
  /** How long to keep reading CloudWatch Logs for REPORT lines not there yet. */
  logsWaitMs?: number;
}

export interface CreateTargetOptions {
  /** The run's folder (the restore journal is written there). */
  outputDir: string;
  /** Function log lines (local target). */
  onLog(functionName: string, line: string): void;
  aws?: AwsRunOptions;
  /** Progress lines worth showing the user (restore steps). */
  log?(line: string): void;
}

/** The connection settings for a scenario: command line first, then the scenario's `aws:` block. */
export function awsConnection(scenario: Scenario, options: AwsRunOptions = {}): AwsRunOptions {
  const region = options.region ?? scenario.aws?.region;
  const profile = options.profile ?? scenario.aws?.profile;
  const endpoint = options.endpoint ?? scenario.aws?.endpoint;
  const endpoints = options.endpoints ?? scenario.aws?.endpoints;
  const logsWaitMs = options.logsWaitMs ?? scenario.aws?.logsWaitMs;
  return {
    ...options,
    ...(region === undefined ? {} : { region }),
    ...(profile === undefined ? {} : { profile }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(endpoints === undefined ? {} : { endpoints }),
    ...(logsWaitMs === undefined ? {} : { logsWaitMs }),
  };
}

/** The journal a run against AWS writes before its first change. */
export function journalPath(outputDir: string): string {
  return join(outputDir, 'restore-journal.json');
}

export async function createTarget(scenario: Scenario, options: CreateTargetOptions): Promise<Target> {
  if (scenario.target === 'aws') {
    // Only a caller that showed the account and got confirmation passes `aws` (lambench run does).
    if (options.aws === undefined) {
      throw new InputError(
        'TARGET',
        `${scenario.file}: target: aws runs through lambench run (which shows the account and asks first); use target: local here`,
      );
    }
    return createAwsTarget({
      ...awsConnection(scenario, options.aws),
      journalPath: journalPath(options.outputDir),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
  }
  try {
    return createLocalTarget({ api: await createEmulator({ onLog: options.onLog, ...scenario.local }) });
  } catch (err) {
    // The machine refused the scenario's limiter: name the field that asked for it.
    if (err instanceof InputError && err.code === 'CPU_LIMITER_UNAVAILABLE' && scenario.local?.cpuLimiter)
      throw new InputError(err.code, `${scenario.file}: local.cpuLimiter: ${err.message}`);
    throw err;
  }
}
