/**
 * EventBridge (CloudWatch Events) events delivered to a Lambda target (asynchronous invoke).
 *
 * Rules reproduced (EventBridge user guide, event structure; @types/aws-lambda): `version` "0"
 * (which SAM's template omits), `time` in ISO 8601 without milliseconds; a scheduled rule sends
 * detail-type "Scheduled Event", source "aws.events", `resources: [ruleArn]` and `detail: {}`.
 * An entry is at most 256 KiB.
 *
 * A rule target with a constant `Input` (SAM `Schedule` → `Input`) replaces the event: the function
 * receives that JSON and nothing of the event itself (EventBridge API reference, Target.Input:
 * "Valid JSON text passed to the target. In this case, nothing from the event itself is passed to
 * the target."). The `input` option reproduces that.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { arn, DEFAULT_ACCOUNT, DEFAULT_REGION, isoSeconds } from './common.js';
import { type Build, definePushSource } from './define.js';
import { enforceLimit, Limits } from './limits.js';
import { hex, int, pick, uuid } from './random.js';

export type BridgeEvent = EventBridgeEvent<string, unknown>;
/** A rule target's constant Input: any JSON value, sent instead of the event. */
export type RuleTargetInput = Record<string, unknown> | unknown[] | string | number | boolean;

const OPTIONS = [
  'rule',
  'source',
  'detailType',
  'detail',
  'resources',
  'id',
  'region',
  'account',
  'input',
] as const;
const STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'REFUNDED'];

function build(b: Build): BridgeEvent | RuleTargetInput {
  const { o, r } = b;
  const input = o.json('input');
  if (input !== undefined && input !== null) {
    enforceLimit('eventbridge', Buffer.byteLength(JSON.stringify(input)), Limits.eventBridgeEntry);
    return input as RuleTargetInput;
  }
  const region = o.string('region') ?? DEFAULT_REGION;
  const account = o.string('account') ?? DEFAULT_ACCOUNT;
  const scheduled = b.type === 'scheduled';
  const rule = o.string('rule') ?? (scheduled ? 'lambench-every-minute' : 'lambench-custom-rule');
  const ruleArn = rule.startsWith('arn:') ? rule : arn('events', region, account, `rule/${rule}`);
  const detail = o.json('detail') ?? (scheduled ? {} : defaultDetail(b));
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    o.fail('detail', 'a JSON object', detail);
  }
  const event: BridgeEvent = {
    version: '0',
    id: o.string('id') ?? uuid(r),
    'detail-type': o.string('detailType') ?? (scheduled ? 'Scheduled Event' : 'Order State Change'),
    source: o.string('source') ?? (scheduled ? 'aws.events' : 'com.example.orders'),
    account,
    time: isoSeconds(b.now),
    region,
    resources: o.stringList('resources') ?? (scheduled ? [ruleArn] : []),
    detail,
  };
  enforceLimit('eventbridge', Buffer.byteLength(JSON.stringify(event)), Limits.eventBridgeEntry);
  return event;
}

function defaultDetail(b: Build): Record<string, unknown> {
  const { r } = b;
  return {
    orderId: `ord-${hex(r, 10)}`,
    status: pick(r, STATUSES),
    customer: { id: `c-${hex(r, 6)}`, country: r.faker.location.countryCode() },
    total: int(r, 100, 99_999) / 100,
  };
}

export const eventBridgeGenerator = definePushSource<BridgeEvent | RuleTargetInput>({
  source: 'eventbridge',
  description: 'EventBridge events: scheduled rules and custom detail-type/source/detail',
  types: [
    {
      name: 'scheduled',
      description: 'a scheduled rule firing ("Scheduled Event")',
      aliases: ['schedule', 'scheduled-event'],
    },
    {
      name: 'custom',
      description: 'an application event with your source, detail-type and detail',
      aliases: ['event'],
    },
  ],
  defaultType: 'scheduled',
  options: OPTIONS,
  build,
});
