/**
 * The command line's say over how async sources are measured on AWS (`--invocation-type`), and the
 * check that sources which need real AWS services (`invocationType: Event`, `delivery: service`)
 * run on the aws target, before anything is invoked or changed.
 */
import { InputError } from '../core/errors.js';
import type { Scenario, ScenarioSource } from '../scenario/types.js';

/** Sources `--invocation-type` applies to: s3, sns, eventbridge and async invokes sent directly. */
function takesInvocationType(source: ScenarioSource): boolean {
  if (source.service !== undefined) return false;
  return (
    source.kind === 's3' ||
    source.kind === 'sns' ||
    source.kind === 'eventbridge' ||
    (source.kind === 'invoke' && source.async)
  );
}

/** `--invocation-type Event|RequestResponse`: over every source it applies to (the scenario's own setting included). */
export function applyInvocationType(scenario: Scenario, type: 'Event' | 'RequestResponse'): void {
  for (const source of Object.values(scenario.sources)) {
    if (!takesInvocationType(source)) continue;
    if (type === 'Event') source.invocationType = 'Event';
    else delete source.invocationType;
  }
}

/** Refuses Event invokes and service delivery off the aws target, and with another load engine. */
export function checkDeliveryChoices(scenario: Scenario, engine = 'lambench'): void {
  for (const source of Object.values(scenario.sources)) {
    const field =
      source.service !== undefined
        ? 'delivery'
        : source.invocationType === 'Event'
          ? 'invocationType'
          : undefined;
    if (field === undefined) continue;
    const what = field === 'delivery' ? 'delivery: service' : 'invocationType: Event';
    const position = { ...source.position, field: `sources.${source.name}.${field}` };
    if (scenario.target !== 'aws') {
      throw new InputError(
        'NEEDS_AWS',
        `${what} needs target: aws (the function's figures come from CloudWatch Logs); run with --target aws or remove it`,
        { position },
      );
    }
    if (engine !== 'lambench') {
      throw new InputError('NEEDS_LAMBENCH_ENGINE', `${what} runs with --engine lambench only`, { position });
    }
  }
}
