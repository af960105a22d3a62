/**
 * The record an on-failure destination receives when a stream mapping discards a batch (Lambda
 * developer guide, "Retaining discarded batches"): metadata about the batch, not the records —
 * readers fetch them from the stream by shard and sequence numbers.
 */
import { randomUUID } from 'node:crypto';
import type { InvocationResult } from '../../targets/types.js';
import type { DiscardCondition } from './lane.js';
import type { StreamRecord } from './types.js';

export interface StreamFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: DiscardCondition;
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError: string };
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo?: BatchInfo;
  DDBStreamBatchInfo?: BatchInfo;
}

interface BatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  approximateArrivalOfFirstRecord: string;
  approximateArrivalOfLastRecord: string;
  batchSize: number;
  streamArn: string;
}

export function streamFailureRecord(input: {
  kind: 'kinesis' | 'dynamodb';
  records: readonly StreamRecord[];
  shardId: string;
  streamArn: string;
  functionArn: string;
  condition: DiscardCondition;
  invokeCount: number;
  lastResult: InvocationResult | undefined;
  wallNowMs: number;
}): StreamFailureRecord {
  const first = input.records[0] as StreamRecord;
  const last = input.records[input.records.length - 1] as StreamRecord;
  const result = input.lastResult;
  const info: BatchInfo = {
    shardId: input.shardId,
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    approximateArrivalOfFirstRecord: new Date(first.arrivalEpochMs).toISOString(),
    approximateArrivalOfLastRecord: new Date(last.arrivalEpochMs).toISOString(),
    batchSize: input.records.length,
    streamArn: input.streamArn,
  };
  const functionError =
    result === undefined || result.status === 'ok' ? '' : result.status === 'throttled' ? '' : 'Unhandled';
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.invokeCount,
    },
    responseContext: {
      statusCode: result?.status === 'throttled' ? 429 : result?.status === 'service-error' ? 500 : 200,
      executedVersion: result?.executedVersion ?? '$LATEST',
      functionError,
    },
    version: '1.0',
    timestamp: new Date(input.wallNowMs).toISOString(),
    ...(input.kind === 'kinesis' ? { KinesisBatchInfo: info } : { DDBStreamBatchInfo: info }),
  };
}
