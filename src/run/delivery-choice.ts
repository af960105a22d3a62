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

/** What the confirmation shows besides the invokes: what is sent as Event, published or put, and the logs read. */
export function deliveryLines(scenario: Scenario): string[] {
  const lines: string[] = [];
  for (const source of Object.values(scenario.sources)) {
    const to = source.to.join(', ');
    const logs = source.to
      .map((fn) => `/aws/lambda/${bareName(scenario.functions[fn]?.remoteName ?? fn)}`)
      .join(', ');
    if (source.service?.kind === 'sns') {
      lines.push(
        `source ${source.name}: publishes its messages to ${source.service.topicArn} (PublishBatch); the topic's subscriptions invoke ${to}; figures read from CloudWatch Logs ${logs}`,
      );
    } else if (source.service?.kind === 'kinesis') {
      lines.push(
        `source ${source.name}: puts its records on Kinesis stream ${source.service.streamName} (PutRecords); the event source mapping invokes ${to}; figures read from CloudWatch Logs ${logs}`,
      );
    } else if (source.invocationType === 'Event') {
      lines.push(
        `source ${source.name}: Event invokes of ${to} (Lambda's own async retries apply); figures read from CloudWatch Logs ${logs}`,
      );
    }
  }
  return lines;
}

/** The function name in `name`, `name:alias` or an ARN: what its log group is named for. */
function bareName(remote: string): string {
  const parts = remote.split(':');
  return (parts[0] === 'arn' ? parts[6] : parts[0]) ?? remote;
}
