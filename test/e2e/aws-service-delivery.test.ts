/**
 * `delivery: service` end to end against local endpoints that speak the real protocols: lambench
 * publishes to an SNS query-protocol endpoint of the test's, which plays the topic's subscription by
 * invoking the function on `lambench serve` the way SNS does (an Event invoke with the SNS event);
 * the function figures come back through CloudWatch Logs FilterLogEvents from serve's own REPORT
 * lines. Needs the build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it, onTestFinished } from 'vitest';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import { type Results, ResultsSchema } from '../../src/metrics/results-schema.js';
import { lambdaAt, ROOT, runOnAws, startServe } from '../helpers/aws-endpoint.js';
import { type ReceivedMessage, startSnsQueryServer } from '../helpers/sns-query-server.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'aws', 'sns-service.yaml');
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders';

/** The event SNS hands a subscribed function for one message. */
function snsEvent(m: ReceivedMessage, messageId: string): unknown {
  const attributes = Object.fromEntries(
    Object.entries(m.attributes).map(([k, v]) => [k, { Type: 'String', Value: v }]),
  );
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${m.topicArn}:sub-1`,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: m.topicArn,
          Subject: m.subject ?? null,
          Message: m.message,
          Timestamp: new Date().toISOString(),
          MessageAttributes: attributes,
        },
      },
    ],
  };
}

function countOf(pair: {
  cold?: { encoded: string } | undefined;
  warm?: { encoded: string } | undefined;
}): number {
  let n = 0;
  for (const h of [pair.cold, pair.warm]) if (h) n += decodeHistogram(h.encoded).totalCount;
  return n;
}

describe('lambench run --target aws with delivery: service (SNS)', () => {
  it('publishes each message to the topic; the subscription’s invocations are measured from the logs, per memory setting', async () => {
    // Prepare: serve hosts hello; the SNS endpoint delivers each accepted message to it as SNS does.
    const serve = await startServe(FIXTURE);
    const lambda = lambdaAt(serve.url);
    const invokes: Array<Promise<unknown>> = [];
    // Messages n3 and n7 of each point fail as the sender's fault (InvalidParameter).
    const invalid = (m: string) => /"note":"n[37]"/.test(m);
    const sns = await startSnsQueryServer({
      invalid,
      onPublished: (m, id) => {
        invokes.push(
          lambda.send(
            new InvokeCommand({
              FunctionName: 'hello',
              InvocationType: 'Event',
              Payload: Buffer.from(JSON.stringify(snsEvent(m, id))),
            }),
          ),
        );
      },
    });
    onTestFinished(() => sns.close());
    const dir = tempDir('lambench-aws-sns-');
    const scenario = join(dir, 'sns-service.yaml');
    writeFileSync(
      scenario,
      readFileSync(FIXTURE, 'utf8')
        .replaceAll('../../../examples/', `${join(ROOT, 'examples')}/`)
        .replace('aws:\n', `aws:\n  endpoints: { sns: "${sns.url}" }\n`),
    );
    // Act
    const run = await runOnAws(scenario, serve.url, join(dir, 'out'));
    await Promise.all(invokes);
    // Assess
    expect(run.code, run.err).toBe(0);
    const results: Results = ResultsSchema.parse(
      JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')),
    );
    const series = results.points.flatMap((p) => p.series);
    expect(series.map((s) => s.key.memoryMB)).toEqual([128, 256]);
    let accepted = 0;
    for (const s of series) {
      const arrivals = s.ledger.arrivals;
      const service = s.service;
      expect(service).toBeDefined();
      if (service === undefined) continue;
      accepted += service.accepted;
      // Client-side: SNS's answers to lambench's PublishBatch calls.
      expect(service).toMatchObject({ kind: 'sns', resource: TOPIC });
      expect(service.accepted + service.rejected).toBe(arrivals);
      expect(service.rejected).toBe(2);
      expect(service.rejectedByCode).toEqual({ InvalidParameter: 2 });
      expect(s.ledger.buckets.succeeded).toBe(service.accepted);
      expect(s.ledger.buckets.failed).toBe(service.rejected);
      expect(service.calls).toBeGreaterThanOrEqual(1);
      expect(service.calls).toBeLessThanOrEqual(arrivals);
      expect(decodeHistogram(service.callLatencyUs?.encoded ?? '').totalCount).toBeGreaterThanOrEqual(1);
      expect(s.counters.attempts).toBe(0);
      // From the logs: one REPORT per delivered message, at this point's memory size.
      expect(s.logs).toMatchObject({ matchedBy: 'memory-size', found: service.accepted, notFound: 0 });
      expect(s.counters.invocations).toBe(service.accepted);
      expect(countOf(s.histograms.durationUs)).toBe(service.accepted);
      expect(countOf(s.histograms.maxMemoryUsedMB)).toBe(service.accepted);
      expect(s.counters.coldStarts).toBeGreaterThanOrEqual(1);
    }
    // Every message SNS accepted reached the endpoint with its attribute; the rejected ones never did.
    expect(sns.received).toHaveLength(accepted);
    expect(sns.received.every((m) => m.topicArn === TOPIC && m.attributes.country === 'DE')).toBe(true);
    expect(sns.received.some((m) => invalid(m.message))).toBe(false);
    expect(results.run.target.notes.join('\n')).toMatch(/delivery: service via SNS topic .* \(client-side\)/);
  });
});
