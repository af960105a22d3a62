/**
 * REPORT lines read back through CloudWatch Logs FilterLogEvents, with the real
 * @aws-sdk/client-cloudwatch-logs client against the emulator's own JSON 1.1 endpoint: Event invokes
 * through the real Lambda client answer 202 with the request id their REPORT line carries, the
 * reader pages through the results, waits out lines that are not ingested yet, and says which ids
 * it never found. Needs the build (the runtime client).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTermPattern } from '../../src/emulator/http-logs.js';
import { type HttpApi, startHttpApi } from '../../src/emulator/http-server.js';
import { createEmulator } from '../../src/emulator/index.js';
import { LogStore } from '../../src/emulator/log-store.js';
import type { LambdaApi } from '../../src/emulator/types.js';
import { readReports } from '../../src/targets/aws/log-reports.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HANDLERS = join(ROOT, 'test', 'fixtures', 'handlers');
const CREDENTIALS = { accessKeyId: 'AKIDLOGS', secretAccessKey: 'logs-secret' };

/** Lines become visible to FilterLogEvents this long after they are written. */
const DELAY_MS = 1500;

let api: LambdaApi;
let http: HttpApi;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  const store = new LogStore({ ingestionDelayMs: DELAY_MS });
  api = await createEmulator({ onLog: store.add });
  http = await startHttpApi(api, { logs: store });
  lambda = new LambdaClient({ endpoint: http.url, region: 'us-east-1', credentials: CREDENTIALS });
  logs = new CloudWatchLogsClient({ endpoint: http.url, region: 'us-east-1', credentials: CREDENTIALS });
  await api.createFunction({
    functionName: 'knobs',
    codeDir: HANDLERS,
    handler: 'knobs.handler',
    runtime: 'nodejs22.x',
    memorySize: 256,
    timeout: 3,
  });
});

afterAll(async () => {
  lambda?.destroy();
  logs?.destroy();
  await http?.close();
  await api?.close();
});

/** `count` Event invokes of knobs, each sleeping `delayMs`; the request ids of the 202s. */
async function sendEvents(count: number, delayMs: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: 'knobs',
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify({ delay: delayMs, log: true })),
      }),
    );
    expect(out.StatusCode).toBe(202);
    ids.push(out.$metadata.requestId ?? '');
  }
  return ids;
}

describe('REPORT lines of Event invokes through CloudWatch Logs FilterLogEvents', () => {
  it('finds every request id across pages, after the ingestion delay, with the figures of each invocation', async () => {
    // Prepare: 130 REPORT lines among 4 lines per invoke: more than one page of 100 events.
    const since = Date.now();
    const ids = await sendEvents(130, 40);
    // Act
    const found = await readReports(logs, {
      logGroupName: '/aws/lambda/knobs',
      startTime: since - 1000,
      requestIds: ids,
      maxWaitMs: 60_000,
      pollMs: 250,
    });
    // Assess
    expect(new Set(ids).size).toBe(130);
    expect(found.notFound).toEqual([]);
    expect(new Set(found.reports.map((r) => r.requestId))).toEqual(new Set(ids));
    expect(found.reports).toHaveLength(130);
    // The lines were not there at first: the reader had to come back for them.
    expect(found.waitedMs).toBeGreaterThanOrEqual(DELAY_MS - 500);
    expect(found.requests).toBeGreaterThan(2);
    for (const r of found.reports) {
      expect(r.durationMs).toBeGreaterThanOrEqual(40);
      expect(r.memorySizeMB).toBe(256);
      expect(r.billedDurationMs).toBeGreaterThanOrEqual(Math.ceil(r.durationMs));
    }
    // The first invocation started the function's first environment.
    expect(found.reports.filter((r) => r.initDurationMs !== undefined).length).toBeGreaterThanOrEqual(1);
    expect(found.matchedBy).toBe('request-id');
  });

  it('says which request ids it never found when the bounded wait ends first', async () => {
    const since = Date.now();
    const ids = await sendEvents(3, 0);
    const missing = '00000000-0000-4000-8000-000000000000';
    const found = await readReports(logs, {
      logGroupName: '/aws/lambda/knobs',
      startTime: since - 1000,
      requestIds: [...ids, missing],
      maxWaitMs: DELAY_MS * 4,
      pollMs: 200,
    });
    expect(found.notFound).toEqual([missing]);
    expect(found.reports.map((r) => r.requestId).sort()).toEqual([...ids].sort());
    expect(found.waitedMs).toBeGreaterThanOrEqual(DELAY_MS * 4 - 400);
  });

  it('matched by version: only the REPORT lines of that version’s log streams', async () => {
    const since = Date.now();
    await sendEvents(4, 0);
    const latest = await readReports(logs, {
      logGroupName: '/aws/lambda/knobs',
      startTime: since - 1000,
      version: '$LATEST',
      expected: 4,
      maxWaitMs: 30_000,
      pollMs: 200,
    });
    const other = await readReports(logs, {
      logGroupName: '/aws/lambda/knobs',
      startTime: since - 1000,
      version: '7',
      maxWaitMs: 600,
      pollMs: 200,
    });
    expect(latest.reports).toHaveLength(4);
    expect(latest.matchedBy).toBe('version');
    expect(other.reports).toEqual([]);
  });

  it('answers FilterLogEvents as CloudWatch does: a missing group is ResourceNotFoundException, pages carry a nextToken', async () => {
    await expect(
      logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/nobody' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await new Promise((r) => setTimeout(r, DELAY_MS));
    const page = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/knobs', limit: 2, filterPattern: 'START' }),
    );
    expect(page.events).toHaveLength(2);
    expect(page.nextToken).toEqual(expect.any(String));
    for (const e of page.events ?? []) {
      expect(e.message).toMatch(/^START RequestId: /);
      expect(e.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    }
    const next = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: '/aws/lambda/knobs',
        limit: 2,
        filterPattern: 'START',
        nextToken: page.nextToken,
      }),
    );
    expect(next.events?.[0]?.eventId).not.toBe(page.events?.[0]?.eventId);
  });
});

describe('term filter patterns', () => {
  it('all terms, quoted phrases, ?either terms and -excluded terms', () => {
    const line = 'REPORT RequestId: abc\tDuration: 1.00 ms';
    expect(compileTermPattern('')(line)).toBe(true);
    expect(compileTermPattern('REPORT abc')(line)).toBe(true);
    expect(compileTermPattern('REPORT xyz')(line)).toBe(false);
    expect(compileTermPattern('"RequestId: abc"')(line)).toBe(true);
    expect(compileTermPattern('"RequestId: xyz"')(line)).toBe(false);
    expect(compileTermPattern('?"platform.report" ?"REPORT RequestId"')(line)).toBe(true);
    expect(compileTermPattern('?"platform.report" ?START')(line)).toBe(false);
    expect(compileTermPattern('REPORT -Duration')(line)).toBe(false);
    expect(() => compileTermPattern('{ $.type = "platform.report" }')).toThrow(/term filter patterns only/);
  });
});
