/**
 * Compiled by aws-types.test.ts: every assignment fails to compile if a generator's declared event
 * type drifts from @types/aws-lambda. Where AWS really sends less than the typings require (S3
 * deletes without size/eTag, SNS Subject null, no REST authorizer), the rest of the shape is
 * compared with those fields left out.
 */
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  CloudFormationCustomResourceEvent,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  KinesisStreamEvent,
  S3EventRecord,
  SNSMessage,
  SQSEvent,
} from 'aws-lambda';
import type { HttpApiEvent, RestProxyEvent } from '../../../src/events/apigateway.js';
import { cloudFormationGenerator } from '../../../src/events/cloudformation.js';
import { dynamodbGenerator } from '../../../src/events/dynamodb.js';
import type { BridgeEvent } from '../../../src/events/eventbridge.js';
import { kinesisGenerator } from '../../../src/events/kinesis.js';
import type { S3NotificationObject, S3NotificationRecord } from '../../../src/events/s3.js';
import type { SnsNotification } from '../../../src/events/sns.js';
import { sqsGenerator } from '../../../src/events/sqs.js';

const ctx = { seed: 1, index: 0 };

export const kinesis: KinesisStreamEvent = kinesisGenerator.generate('record', {}, ctx);
export const dynamodb: DynamoDBStreamEvent = dynamodbGenerator.generate('mixed', {}, ctx);
export const sqs: SQSEvent = sqsGenerator.generate('message', {}, ctx);
export const cfn: CloudFormationCustomResourceEvent = cloudFormationGenerator.generate('Update', {}, ctx);
// The generator also returns a rule target's constant Input (any JSON) when asked; its event is BridgeEvent.
declare const bridgeEvent: BridgeEvent;
export const bridge: EventBridgeEvent<string, unknown> = bridgeEvent;

declare const s3: S3NotificationRecord;
export const s3Rest: Omit<S3EventRecord, 's3'> = s3;
export const s3Bucket: S3EventRecord['s3']['bucket'] = s3.s3.bucket;
export const s3Created: S3EventRecord['s3']['object'] = {} as Required<S3NotificationObject>;

declare const sns: SnsNotification;
export const snsRest: Omit<SNSMessage, 'Subject'> = sns;

declare const rest: RestProxyEvent;
export const restTop: Omit<APIGatewayProxyEvent, 'requestContext'> = rest;
export const restContext: Omit<APIGatewayProxyEvent['requestContext'], 'authorizer'> = rest.requestContext;

declare const http: HttpApiEvent;
export const httpEvent: APIGatewayProxyEventV2 = http;
