/**
 * A stream consumer for the pull-source scenarios: counts records per batch, fails on a record
 * whose data (Kinesis), NewImage (DynamoDB) or body (SQS) carries `"poison": true` or an `id`
 * listed in the POISON environment variable, and with
 * ReportBatchItemFailures reports that record instead of throwing. With a tumbling window it
 * returns the running count as state.
 */
const decode = (record) => {
  try {
    if (record.kinesis) return JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    if (record.body !== undefined) return JSON.parse(record.body);
    return record.dynamodb?.NewImage ?? {};
  } catch {
    return {};
  }
};

const idOf = (record) => record.kinesis?.sequenceNumber ?? record.dynamodb?.SequenceNumber ?? record.messageId;

// POISON names record ids (the `id` field of the data) that always fail, e.g. "7,1200".
const poisonIds = new Set((process.env.POISON ?? '').split(',').filter(Boolean));
const isPoison = (data) =>
  data?.poison === true || data?.poison?.BOOL === true || poisonIds.has(String(data?.id ?? data?.id?.S ?? ''));

export const handler = async (event) => {
  const records = event.Records ?? [];
  const failures = records.filter((r) => isPoison(decode(r))).map((r) => ({ itemIdentifier: idOf(r) }));
  const itemFailures = process.env.REPORT_ITEM_FAILURES === 'true';
  if (failures.length > 0 && !itemFailures) throw new Error(`poison record ${failures[0].itemIdentifier}`);
  if (event.window) {
    const count = (event.state?.count ?? 0) + records.length;
    return { state: { count }, batchItemFailures: failures };
  }
  return { batchItemFailures: failures };
};
