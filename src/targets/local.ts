/**
 * The local Target: the embedded emulator, called in process. prepare() runs the same cycle as on
 * AWS — UpdateFunctionConfiguration on $LATEST, PublishVersion, an alias named for the setting — so a
 * sweep's qualifiers look the same in results whichever target ran them. invoke() is lambench's hot
 * path: one call into the emulator, one clock read either side, no copies of the payload.
 */
import { createHash } from 'node:crypto';
import { SATURATED_GRACE_MS } from '../emulator/init-gate.js';
import { interpreterFor, runtimeInfo } from '../emulator/runtimes.js';
import {
  type InvokeOutput,
  type LambdaApi,
  LambdaServiceError,
  type LocalDeviations,
} from '../emulator/types.js';
import { serviceErrorResult } from './service-error-result.js';
import type {
  FunctionDefinition,
  FunctionSetting,
  InvocationResult,
  InvocationStatus,
  InvokeRequest,
  Target,
  TargetInfo,
} from './types.js';

export interface LocalTargetOptions {
  /** The emulator to call (createEmulator() from emulator/index.ts). */
  api: LambdaApi;
  /** Whether close() also closes the emulator; default true. */
  ownsApi?: boolean;
}

/** Platform error types that are not the function's own failure (Lambda's errorType values). */
function statusOf(out: InvokeOutput): InvocationStatus {
  if (out.functionError === undefined) return 'ok';
  switch (out.errorType) {
    case 'Sandbox.Timedout':
      return 'timeout';
    case 'Runtime.OutOfMemory':
      return 'out-of-memory';
    default:
      return 'function-error';
  }
}

/**
 * The alias a setting gets: `mem-256`, plus `-t30` for a timeout and `-e` and a digest for
 * environment overrides, so different settings never share an alias. Alias names may not be all
 * digits and allow letters, digits, `-` and `_` (Lambda's alias name pattern).
 */
export function aliasForSetting(setting: FunctionSetting): string {
  let name = `mem-${setting.memoryMB}`;
  if (setting.timeoutS !== undefined) name += `-t${setting.timeoutS}`;
  if (setting.environment !== undefined && Object.keys(setting.environment).length > 0) {
    const sorted = Object.entries(setting.environment).sort(([a], [b]) => (a < b ? -1 : 1));
    name += `-e${createHash('sha1').update(JSON.stringify(sorted)).digest('hex').slice(0, 8)}`;
  }
  return name;
}

/** Turns the emulator's answer into the Target's result; `latencyUs` is the caller's measurement. */
export function resultFromOutput(out: InvokeOutput, latencyUs: number): InvocationResult {
  const result: InvocationResult = {
    status: statusOf(out),
    payload: out.payload,
    callLatencyUs: latencyUs,
    cold: out.cold,
    executedVersion: out.executedVersion,
  };
  if (out.errorType !== undefined && out.functionError !== undefined) result.errorType = out.errorType;
  const r = out.report;
  if (r !== undefined) {
    result.durationMs = r.durationMs;
    result.billedDurationMs = r.billedDurationMs;
    result.memorySizeMB = r.memorySizeMB;
    result.maxMemoryUsedMB = r.maxMemoryUsedMB;
    if (r.initDurationMs !== undefined) result.initDurationMs = r.initDurationMs;
  }
  return result;
}

/** A service error (throttle, missing function, …) as a result rather than an exception. */
export function resultFromServiceError(err: LambdaServiceError, latencyUs: number): InvocationResult {
  return serviceErrorResult(
    {
      errorType: err.type,
      ...(err.reason === undefined ? {} : { reason: err.reason }),
      ...(err.retryAfterSeconds === undefined ? {} : { retryAfterS: err.retryAfterSeconds }),
    },
    latencyUs,
  );
}

function isNotFound(err: unknown): boolean {
  return err instanceof LambdaServiceError && err.type === 'ResourceNotFoundException';
}

/** A Target over the in-process emulator API. */
export function createLocalTarget(options: LocalTargetOptions): Target {
  const api = options.api;
  const ownsApi = options.ownsApi ?? true;
  const info: TargetInfo = {
    kind: 'local',
    cpuLimiter: api.cpuLimiter,
    notes: graceNote(api.deviations().saturatedGraceMs),
    interpreters: {},
  };
  const noteInterpreter = (runtime: string) => {
    const family = runtimeInfo(runtime)?.family;
    const interpreter = family === undefined ? undefined : interpreterFor(family);
    if (interpreter && info.interpreters) info.interpreters[runtime] = interpreter;
  };
  // prepare() mutates $LATEST and then publishes it: two prepares of one function must not interleave.
  const locks = new Map<string, Promise<unknown>>();
  const serial = <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const next = (locks.get(name) ?? Promise.resolve()).then(task, task);
    locks.set(
      name,
      next.catch(() => undefined),
    );
    return next;
  };
  const noteRuntime = (out: InvokeOutput) => {
    if (out.runtimeNote !== undefined && !info.notes.includes(out.runtimeNote))
      info.notes.push(out.runtimeNote);
  };

  return {
    info,

    ensureFunction: (fn) => {
      noteInterpreter(fn.runtime);
      return serial(fn.name, () => ensure(api, fn));
    },

    prepare: (fn, setting) => {
      noteInterpreter(fn.runtime);
      return serial(fn.name, () => prepareAlias(api, fn, setting));
    },

    async invoke(req: InvokeRequest): Promise<InvocationResult> {
      const start = process.hrtime.bigint();
      try {
        const out = await api.invoke({
          functionName: req.functionName,
          qualifier: req.qualifier,
          payload: req.payload,
          invocationType: req.type,
        });
        const latencyUs = Number((process.hrtime.bigint() - start) / 1000n);
        if (out.runtimeNote !== undefined) noteRuntime(out);
        return resultFromOutput(out, latencyUs);
      } catch (err) {
        if (!(err instanceof LambdaServiceError)) throw err;
        return resultFromServiceError(err, Number((process.hrtime.bigint() - start) / 1000n));
      }
    },

    forceColdStart: (fn, qualifier) =>
      serial(fn.name, async () => {
        api.recycleEnvironments(fn.name, qualifier);
        return qualifier;
      }),

    async close() {
      const note = deviationNote(api.deviations());
      if (note !== undefined) info.notes.push(note);
      if (ownsApi) await api.close();
    },
  };
}

async function ensure(api: LambdaApi, fn: FunctionDefinition): Promise<void> {
  try {
    api.getFunctionConfiguration(fn.name);
    return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await api.createFunction({
    functionName: fn.name,
    codeDir: fn.codeDir,
    handler: fn.handler,
    runtime: fn.runtime,
    timeout: fn.timeoutS,
    environment: fn.environment,
    ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency }),
  });
}

async function prepareAlias(
  api: LambdaApi,
  fn: FunctionDefinition,
  setting: FunctionSetting,
): Promise<string> {
  const alias = aliasForSetting(setting);
  await api.updateFunctionConfiguration(fn.name, {
    memorySize: setting.memoryMB,
    timeout: setting.timeoutS ?? fn.timeoutS,
    environment: { ...fn.environment, ...setting.environment },
  });
  const version = api.publishVersion(fn.name, `lambench ${alias}`).version;
  try {
    api.getAlias(fn.name, alias);
    api.updateAlias(fn.name, alias, { functionVersion: version, additionalVersionWeights: {} });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    api.createAlias(fn.name, { name: alias, functionVersion: version, description: 'prepared by lambench' });
  }
  if (fn.provisionedConcurrency !== undefined && fn.provisionedConcurrency > 0) {
    await api.putProvisionedConcurrency(fn.name, alias, fn.provisionedConcurrency);
  }
  return alias;
}

/** A note when the saturated-host grace is not the default, so results say which rule ran. */
function graceNote(graceMs: number): string[] {
  if (graceMs === SATURATED_GRACE_MS) return [];
  return [
    graceMs === 0
      ? "local: saturated-host grace 0 ms: every invoke that finds its function's environments busy starts one, as Lambda does"
      : `local: saturated-host grace ${graceMs} ms (default ${SATURATED_GRACE_MS} ms): on a saturated host an invoke waits that long for a busy environment before starting one`,
  ];
}

/** The target note for invokes that waited locally where Lambda would have started an environment. */
export function deviationNote(d: LocalDeviations): string | undefined {
  const notes: string[] = [];
  if (d.waitedForEnvironment > 0) {
    const mean = d.waitMsTotal / d.waitedForEnvironment;
    const bound = Number.isFinite(d.maxEnvironments) ? `, at most ${d.maxEnvironments} environments` : '';
    notes.push(
      `${d.waitedForEnvironment} invoke(s) waited for an execution environment (at most ${d.concurrentInits} inits at once${bound}; ` +
        `wait mean ${mean.toFixed(1)} ms, max ${d.waitMsMax.toFixed(0)} ms), where Lambda would have started one for each; their latency includes the wait`,
    );
  }
  if (d.reusedInGrace > 0) {
    const mean = d.reuseWaitMsTotal / d.reusedInGrace;
    notes.push(
      `${d.reusedInGrace} invoke(s) found every environment busy while this host was saturated and reused one that freed ` +
        `within ${d.saturatedGraceMs} ms (wait mean ${mean.toFixed(2)} ms), where Lambda would have started one for each`,
    );
  }
  if (d.graceExpired > 0)
    notes.push(
      `${d.graceExpired} invoke(s) waited the ${d.saturatedGraceMs} ms grace in vain and started an environment that much later`,
    );
  return notes.length > 0 ? `local: ${notes.join('; ')}` : undefined;
}
