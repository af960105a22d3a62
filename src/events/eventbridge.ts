/**
 * EventBridge (CloudWatch Events) events delivered to a Lambda target (asynchronous invoke).
 *
 * Rules reproduced (EventBridge user guide, event structure; @types/aws-lambda): `version` "0"
 * (which SAM's template omits), `time` in ISO 8601 without milliseconds; a scheduled rule sends
 * detail-type "Scheduled Event", source "aws.events", `resources: [ruleArn]` and `detail: {}`.
 * An entry is at most 256 KiB.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { arn, DEFAULT_ACCOUNT, DEFAULT_REGION, isoSeconds } from './common.js';
import { type Build, definePushSource } from './define.js';
import { enforceLimit, Limits } from './limits.js';
import { hex, int, pick, uuid } from './random.js';

export type BridgeEvent = EventBridgeEvent<string, unknown>;

const OPTIONS = ['rule', 'source', 'detailType', 'detail', 'resources', 'id', 'region', 'account'] as const;
const STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'REFUNDED'];

function build(b: Build): BridgeEvent {
  const { o, r } = b;
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

export const eventBridgeGenerator = definePushSource<BridgeEvent>({
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
