/**
 * The aws target's ServiceSender for `delivery: service`: SNS PublishBatch and Kinesis PutRecords
 * through the producers (sns-publisher.ts, kinesis-producer.ts), each client made on first use at
 * its own endpoint when the scenario names one (`aws.endpoints`).
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { ServiceEntryOutcome, ServiceSender } from '../types.js';
import { type AwsConnection, kinesisClient, snsClient } from './clients.js';
import { putRecords } from './kinesis-producer.js';
import { publishMessages } from './sns-publisher.js';

export interface AwsServiceSender extends ServiceSender {
  close(): void;
}

export function createServiceSender(connection: AwsConnection): AwsServiceSender {
  let sns: SNSClient | undefined;
  let kinesis: KinesisClient | undefined;
  const outcome = (o: { ok: boolean; errorCode?: string; attempts: number }): ServiceEntryOutcome => ({
    ok: o.ok,
    attempts: o.attempts,
    ...(o.errorCode === undefined ? {} : { errorCode: o.errorCode }),
  });
  return {
    async publish(topicArn, messages) {
      sns ??= snsClient(connection);
      return (await publishMessages(sns, topicArn, messages)).map(outcome);
    },
    async putRecords(stream, records) {
      kinesis ??= kinesisClient(connection);
      return (await putRecords(kinesis, stream, records)).map(outcome);
    },
    close() {
      sns?.destroy();
      kinesis?.destroy();
    },
  };
}
