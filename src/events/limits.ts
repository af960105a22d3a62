/**
 * Payload size limits that AWS enforces at the source, so a scenario cannot generate an event the
 * real service would have refused. Sizes are bytes of the UTF-8 encoding.
 */
import { InputError } from '../core/errors.js';

const KiB = 1024;
const MiB = 1024 * KiB;

export const Limits = {
  /** SQS message (body plus attributes). SQS raised this to 1 MiB in 2025; we keep 256 KiB, the limit most queues and tools still assume. */
  sqsMessage: { bytes: 256 * KiB, label: 'SQS message limit of 256 KiB (body plus attributes)' },
  /** Kinesis record data blob before base64. */
  kinesisRecord: { bytes: 1 * MiB, label: 'Kinesis record limit of 1 MiB (data plus partition key)' },
  /** SNS message (body plus attributes). */
  snsMessage: { bytes: 256 * KiB, label: 'SNS message limit of 256 KiB (message plus attributes)' },
  /** EventBridge PutEvents entry. */
  eventBridgeEntry: { bytes: 256 * KiB, label: 'EventBridge entry limit of 256 KiB' },
  /** API Gateway request payload (REST and HTTP APIs). */
  apiGatewayPayload: { bytes: 10 * MiB, label: 'API Gateway payload limit of 10 MiB' },
} as const;

export type Limit = (typeof Limits)[keyof typeof Limits];

/** Throws a PAYLOAD_TOO_LARGE InputError naming the limit when `bytes` exceeds it. */
export function enforceLimit(source: string, bytes: number, limit: Limit): void {
  if (bytes > limit.bytes) {
    throw new InputError(
      'PAYLOAD_TOO_LARGE',
      `${source}: payload of ${bytes} bytes exceeds the ${limit.label} (${limit.bytes} bytes)`,
    );
  }
}

/** UTF-8 byte length of a string. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
