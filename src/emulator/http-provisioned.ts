/**
 * Provisioned concurrency over HTTP — Put/Get/DeleteProvisionedConcurrencyConfig on
 * `/2019-09-30/functions/{name}/provisioned-concurrency?Qualifier=…` — so the aws target's
 * provisioned-concurrency path (put, wait for READY, delete on restore) runs against `lambench serve`.
 * The environments are the emulator's own (putProvisionedConcurrency); this file keeps each
 * config's status as Lambda reports it: IN_PROGRESS while they initialise, then READY or FAILED.
 */

import type { FunctionRef } from './http-routes.js';
import { parseJsonBody } from './http-shapes.js';
import { type LambdaApi, LambdaServiceError } from './types.js';

interface Config {
  requested: number;
  status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  reason?: string;
  lastModified: string;
}

export const PROVISIONED_OPERATIONS = [
  'PutProvisionedConcurrencyConfig',
  'GetProvisionedConcurrencyConfig',
  'DeleteProvisionedConcurrencyConfig',
] as const;
export type ProvisionedOperation = (typeof PROVISIONED_OPERATIONS)[number];

/** The configs of one HTTP API, keyed by function and qualifier. */
export class ProvisionedConfigs {
  readonly #configs = new Map<string, Config>();

  /** Serves one of the three operations; the status and JSON body Lambda answers with. */
  async serve(
    api: LambdaApi,
    operation: ProvisionedOperation,
    ref: FunctionRef,
    body: Buffer,
  ): Promise<{ status: number; json?: Record<string, unknown> }> {
    const qualifier = ref.qualifier;
    if (qualifier === undefined || qualifier === '$LATEST') {
      throw new LambdaServiceError({
        type: 'InvalidParameterValueException',
        httpStatus: 400,
        message: 'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
      });
    }
    const key = `${ref.name}:${qualifier}`;
    if (operation === 'PutProvisionedConcurrencyConfig') {
      const doc = parseJsonBody(body) as { ProvisionedConcurrentExecutions?: unknown };
      const count = doc.ProvisionedConcurrentExecutions;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
        throw new LambdaServiceError({
          type: 'InvalidParameterValueException',
          httpStatus: 400,
          message: 'ProvisionedConcurrentExecutions must be an integer of at least 1.',
        });
      }
      api.getFunctionConfiguration(ref.name, qualifier); // ResourceNotFoundException when absent
      const config: Config = {
        requested: count,
        status: 'IN_PROGRESS',
        lastModified: new Date().toISOString(),
      };
      this.#configs.set(key, config);
      // Lambda answers at once and initialises in the background; GetProvisionedConcurrencyConfig
      // reports the progress.
      api.putProvisionedConcurrency(ref.name, qualifier, count).then(
        () => {
          if (this.#configs.get(key) === config) config.status = 'READY';
        },
        (error: unknown) => {
          if (this.#configs.get(key) !== config) return;
          config.status = 'FAILED';
          config.reason = error instanceof Error ? error.message : String(error);
        },
      );
      return { status: 202, json: configJson(config) };
    }
    const config = this.#configs.get(key);
    if (config === undefined) {
      throw new LambdaServiceError({
        type: 'ProvisionedConcurrencyConfigNotFoundException',
        httpStatus: 404,
        message: `No Provisioned Concurrency Config found for this function ${ref.name}:${qualifier}`,
      });
    }
    if (operation === 'GetProvisionedConcurrencyConfig') return { status: 200, json: configJson(config) };
    this.#configs.delete(key);
    await api.putProvisionedConcurrency(ref.name, qualifier, 0);
    return { status: 204 };
  }
}

function configJson(c: Config): Record<string, unknown> {
  const ready = c.status === 'READY' ? c.requested : 0;
  return {
    RequestedProvisionedConcurrentExecutions: c.requested,
    AvailableProvisionedConcurrentExecutions: ready,
    AllocatedProvisionedConcurrentExecutions: ready,
    Status: c.status,
    ...(c.reason === undefined ? {} : { StatusReason: c.reason }),
    LastModified: c.lastModified,
  };
}
