/**
 * The aws target: real functions through the AWS SDK for JavaScript v3 for the control plane and a
 * signed keep-alive HTTP pool for Invoke (or the SDK's InvokeCommand, `invokePath: 'sdk'`). Every
 * change prepare() makes is journalled first; close() puts the account back as it was.
 */
import { randomUUID } from 'node:crypto';
import { InputError, LambenchError } from '../../core/errors.js';
import type {
  FunctionDefinition,
  InvocationResult,
  InvokeRequest,
  LogReportQuery,
  LogReports,
  Target,
  TargetInfo,
} from '../types.js';
import { type AwsConnection, controlClient, invokeClient, logsClient, resolvedRegion } from './clients.js';
import { createHttpInvoker, type Invoker } from './invoke-http.js';
import { createSdkInvoker } from './invoke-sdk.js';
import { JournalFile } from './journal.js';
import { getConfiguration, isNotFound } from './lambda-ops.js';
import { readReports } from './log-reports.js';
import { forceColdStartSetting, prepareSetting, remoteFunction } from './prepare.js';
import { restoreFromJournal } from './restore.js';
import { createServiceSender } from './service-sender.js';

export interface AwsTargetOptions extends AwsConnection {
  /** Where the restore journal goes (written before the first change). */
  journalPath: string;
  /** 'http' (default): SigV4-signed requests over an undici pool; 'sdk': InvokeCommand. */
  invokePath?: 'http' | 'sdk';
  /** Connections kept for invokes (default 256). */
  connections?: number;
  /** Lines worth telling the user (restore progress). */
  log?: (line: string) => void;
  /** How long to keep reading CloudWatch Logs for REPORT lines not there yet (default 60 s). */
  logsWaitMs?: number;
  /** Between two reads of the same window (default 1 s). */
  logsPollMs?: number;
}

/** The aws Target plus what the CLI and tests need around it. */
export interface AwsTarget extends Target {
  readonly region: string;
  readonly journal: JournalFile;
  /** "the next invoke of the returned qualifier starts a new environment": a fresh version, the alias moved. */
  forceColdStart(fn: FunctionDefinition, qualifier: string): Promise<string>;
}

/** Creates the aws target; the region must resolve (flag, scenario, profile or AWS_REGION). */
export async function createAwsTarget(options: AwsTargetOptions): Promise<AwsTarget> {
  const lambda = controlClient(options);
  let region: string;
  try {
    region = await resolvedRegion(lambda);
  } catch (error) {
    lambda.destroy();
    throw new InputError(
      'AWS_REGION',
      `no AWS region: pass --region, set aws.region in the scenario, or set AWS_REGION (${(error as Error).message})`,
    );
  }
  const runId = randomUUID().slice(0, 8);
  const journal = new JournalFile(options.journalPath, {
    kind: 'lambench-restore-journal',
    version: 1,
    runId,
    createdAt: new Date().toISOString(),
    region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    functions: {},
  });
  const invoker = await makeInvoker(options, region, lambda);
  const info: TargetInfo = {
    kind: 'aws',
    notes: [
      `region ${region}${options.endpoint === undefined ? '' : ` at endpoint ${options.endpoint}`}`,
      'client latency is measured by lambench; duration, billed duration, init/restore duration and memory come from the REPORT line of each Invoke Tail log',
    ],
  };
  const remoteNames = new Map<string, string>();
  const locks = new Map<string, Promise<unknown>>();
  const serial = <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const next = (locks.get(name) ?? Promise.resolve()).then(task, task);
    locks.set(
      name,
      next.catch(() => undefined),
    );
    return next;
  };
  const ctx = { lambda, journal };
  let closed = false;
  let logs: ReturnType<typeof logsClient> | undefined;
  const services = createServiceSender(options);

  /** A function's REPORT lines from CloudWatch Logs (its group is named for the bare function name). */
  async function logReports(query: LogReportQuery): Promise<LogReports> {
    logs ??= logsClient(options);
    const name = remoteNames.get(query.functionName) ?? query.functionName;
    const bare = name.startsWith('arn:') ? (name.split(':')[6] ?? name) : name;
    // Without request ids or a memory size the lines are told apart by log stream: one per version, `…/[3]…`.
    const version =
      query.requestIds === undefined && query.memorySizeMB === undefined
        ? (await getConfiguration(lambda, name, query.qualifier)).Version
        : undefined;
    return readReports(logs, {
      logGroupName: `/aws/lambda/${bare}`,
      // A second of slack for the clocks of this machine and of the log service.
      startTime: query.sinceEpochMs - 1000,
      ...(query.requestIds === undefined ? {} : { requestIds: query.requestIds }),
      ...(version === undefined ? {} : { version }),
      ...(query.memorySizeMB === undefined ? {} : { memorySizeMB: query.memorySizeMB }),
      ...(query.expected === undefined ? {} : { expected: query.expected }),
      maxWaitMs: options.logsWaitMs ?? 60_000,
      pollMs: options.logsPollMs ?? 1000,
    });
  }

  return {
    info,
    region,
    journal,
    logs: { reports: logReports },
    services,

    async ensureFunction(fn) {
      const remote = remoteFunction(fn);
      try {
        const config = await getConfiguration(lambda, remote.name, remote.qualifier);
        if (config.State !== undefined && config.State !== 'Active') {
          info.notes.push(`${fn.name}: function state was ${config.State} at the start`);
        }
      } catch (error) {
        if (isNotFound(error)) {
          throw new InputError(
            'AWS_FUNCTION',
            `functions.${fn.name}: no function ${fn.remoteName ?? fn.name} in ${region}; deploy it first or set functions.${fn.name}.name to its name or ARN`,
          );
        }
        throw error;
      }
      remoteNames.set(fn.name, remote.name);
      if (fn.provisionedConcurrency !== undefined && fn.provisionedConcurrency > 0) {
        info.notes.push(
          `${fn.name}: provisioned concurrency ${fn.provisionedConcurrency} put on each lambench alias and waited for until READY (billed while it exists; deleted at the end)`,
        );
      }
    },

    prepare: (fn, setting) => serial(fn.name, () => prepareSetting(ctx, fn, setting)),

    forceColdStart: (fn, qualifier) =>
      serial(fn.name, () =>
        forceColdStartSetting(ctx, fn, qualifier, `${Date.now()}-${randomUUID().slice(0, 8)}`),
      ),

    invoke(req: InvokeRequest): Promise<InvocationResult> {
      const name = remoteNames.get(req.functionName) ?? req.functionName;
      return invoker.invoke(name === req.functionName ? req : { ...req, functionName: name });
    },

    async close() {
      if (closed) return;
      closed = true;
      await invoker.close();
      logs?.destroy();
      services.close();
      try {
        if (Object.keys(journal.data.functions).length === 0) return;
        const outcome = await restoreFromJournal(journal, lambda);
        for (const line of outcome.done) options.log?.(`restored ${line}`);
        if (outcome.problems.length > 0) {
          throw new LambenchError(
            'AWS_RESTORE',
            `could not restore everything (${outcome.problems.join('; ')}); run: lambench restore ${journal.path}`,
          );
        }
      } finally {
        lambda.destroy();
      }
    },
  };
}

async function makeInvoker(
  options: AwsTargetOptions,
  region: string,
  lambda: ReturnType<typeof controlClient>,
): Promise<Invoker> {
  if (options.invokePath === 'sdk') return createSdkInvoker(invokeClient(options, options.connections));
  return createHttpInvoker({
    endpoint: options.endpoint ?? `https://lambda.${region}.amazonaws.com`,
    region,
    credentials: lambda.config.credentials,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  });
}
