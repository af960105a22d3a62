/**
 * CloudFormation custom resource requests (asynchronous invoke; no Records wrapper).
 *
 * Rules reproduced (CloudFormation user guide, custom resource request objects):
 * `PhysicalResourceId` only on Update and Delete, `OldResourceProperties` only on Update;
 * `ResourceProperties` always include `ServiceToken`; `ResponseURL` is a presigned S3 URL;
 * `ResourceType` is `Custom::<name>` (name of up to 60 characters from A–Z a–z 0–9 _ @ -) or
 * `AWS::CloudFormation::CustomResource`.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { arn, DEFAULT_ACCOUNT, DEFAULT_REGION, hash32 } from './common.js';
import { type Build, definePushSource } from './define.js';
import { hex, Sfc32, upperChars, uuid } from './random.js';

const OPTIONS = [
  'stack',
  'logicalResourceId',
  'resourceType',
  'properties',
  'oldProperties',
  'physicalResourceId',
  'serviceToken',
  'serviceTimeout',
  'responseUrl',
  'region',
  'account',
] as const;

const RESOURCE_TYPE = /^(Custom::[A-Za-z0-9_@-]{1,60}|AWS::CloudFormation::CustomResource)$/;

function build(b: Build): CloudFormationCustomResourceEvent {
  const { o, r } = b;
  const region = o.string('region') ?? DEFAULT_REGION;
  const account = o.string('account') ?? DEFAULT_ACCOUNT;
  const stack = o.string('stack') ?? 'lambench-stack';
  const stackId = stack.startsWith('arn:')
    ? stack
    : arn('cloudformation', region, account, `stack/${stack}/${stable(stack)}`);
  const serviceToken =
    o.string('serviceToken') ?? arn('lambda', region, account, 'function:lambench-custom-resource');
  const logicalResourceId = o.string('logicalResourceId') ?? 'MyCustomResource';
  const resourceType = o.string('resourceType') ?? 'Custom::LambenchResource';
  if (!RESOURCE_TYPE.test(resourceType)) {
    o.fail(
      'resourceType',
      '"Custom::<name>" (name: up to 60 of A-Z a-z 0-9 _ @ -) or "AWS::CloudFormation::CustomResource"',
      resourceType,
    );
  }
  const requestId = uuid(r);
  const timeout = o.string('serviceTimeout');
  const properties = {
    ...propertiesOf(b, 'properties', {
      Name: r.faker.word.noun(),
      Size: String(1 + Math.floor(r.next() * 10)),
    }),
    ServiceToken: serviceToken,
    ...(timeout !== undefined ? { ServiceTimeout: timeout } : {}),
  };
  const common = {
    ServiceToken: serviceToken,
    ResponseURL: o.string('responseUrl') ?? responseUrl(b, region, stackId, logicalResourceId, requestId),
    StackId: stackId,
    RequestId: requestId,
    LogicalResourceId: logicalResourceId,
    ResourceType: resourceType,
    ResourceProperties: properties,
  };
  const physical =
    o.string('physicalResourceId') ??
    `${stack}-${logicalResourceId}-${upperChars(seeded(stack + logicalResourceId), 12)}`;
  if (b.type === 'Create') return { RequestType: 'Create', ...common };
  if (b.type === 'Delete') return { RequestType: 'Delete', ...common, PhysicalResourceId: physical };
  const old = {
    ...propertiesOf(b, 'oldProperties', { ...properties, Size: '1' }),
    ServiceToken: serviceToken,
  };
  return { RequestType: 'Update', ...common, PhysicalResourceId: physical, OldResourceProperties: old };
}

function propertiesOf(b: Build, name: string, fallback: Record<string, unknown>): Record<string, unknown> {
  const given = b.o.json(name);
  if (given === undefined || given === null) return fallback;
  if (typeof given !== 'object' || Array.isArray(given))
    return b.o.fail(name, 'an object of resource properties', given);
  return given as Record<string, unknown>;
}

/** The presigned PUT URL CloudFormation hands out, in its usual shape. */
function responseUrl(
  b: Build,
  region: string,
  stackId: string,
  logicalId: string,
  requestId: string,
): string {
  const date = new Date(b.now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  const object = encodeURIComponent(`${stackId}|${logicalId}|${requestId}`);
  return (
    `https://cloudformation-custom-resource-response-${region.replace(/-/g, '')}.s3.${region}.amazonaws.com/${object}` +
    `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}Z&X-Amz-SignedHeaders=host&X-Amz-Expires=7200` +
    `&X-Amz-Credential=AKIA${upperChars(b.r, 16)}%2F${date.slice(0, 8)}%2F${region}%2Fs3%2Faws4_request` +
    `&X-Amz-Signature=${hex(b.r, 64)}`
  );
}

function stable(text: string): string {
  return uuid(seeded(text));
}

function seeded(text: string): Sfc32 {
  const rng = new Sfc32();
  rng.seed(hash32(text));
  return rng;
}

export const cloudFormationGenerator = definePushSource<CloudFormationCustomResourceEvent>({
  source: 'cloudformation',
  description: 'CloudFormation custom resource requests (Create, Update, Delete)',
  types: [
    { name: 'Create', description: 'the resource is being created', aliases: ['create-request'] },
    {
      name: 'Update',
      description: 'properties changed: carries PhysicalResourceId and OldResourceProperties',
      aliases: [],
    },
    { name: 'Delete', description: 'the resource is being deleted: carries PhysicalResourceId', aliases: [] },
  ],
  defaultType: 'Create',
  options: OPTIONS,
  build,
});
