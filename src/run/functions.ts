/** The scenario's view of a function, turned into what a Target deploys. */
import type { ScenarioFunction } from '../scenario/types.js';
import type { FunctionDefinition } from '../targets/types.js';

export function functionDefinition(fn: ScenarioFunction): FunctionDefinition {
  return {
    name: fn.name,
    handler: fn.handler,
    codeDir: fn.codeDir,
    runtime: fn.runtime,
    // Lambda timeouts are whole seconds.
    timeoutS: Math.max(1, Math.ceil(fn.timeoutMs / 1000)),
    environment: fn.environment,
    ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency }),
    ...(fn.provisionedConcurrency === undefined ? {} : { provisionedConcurrency: fn.provisionedConcurrency }),
    ...(fn.remoteName === undefined ? {} : { remoteName: fn.remoteName }),
  };
}
