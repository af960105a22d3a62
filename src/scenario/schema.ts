/**
 * The scenario file's shape (zod 4), as written by users. It checks types, ranges, units and
 * unknown keys; cross-field rules (one event key per source, `to` naming a function, files that
 * must exist) are checked while resolving, where the whole document is known. Defaults that a SAM
 * template could supply are applied while resolving, not here, so a template value is not
 * overridden by a default the user never wrote.
 */
import { z } from 'zod';
import { duration } from './schema-duration.js';
import { mappingSchema, pullSourceSchemas } from './schema-pull.js';
import { RUNTIMES } from './types.js';
import { parseMemoryMB, SIZE_PATTERN } from './units.js';

const MEMORY_HELP = 'expected memory in MB from 128 to 10240: an integer or a size like "1769MB" or "1GB"';
const memoryValue = z.union(
  [
    z.int({ error: MEMORY_HELP }).min(128, { error: MEMORY_HELP }).max(10240, { error: MEMORY_HELP }),
    z
      .string({ error: MEMORY_HELP })
      .regex(new RegExp(SIZE_PATTERN), { error: MEMORY_HELP, abort: true })
      .refine(
        (text) => {
          const mb = parseMemoryMB(text);
          return mb !== undefined && mb >= 128 && mb <= 10240;
        },
        { error: `${MEMORY_HELP} (a whole number of MB)` },
      ),
  ],
  { error: MEMORY_HELP },
);

const functionSchema = z
  .strictObject({
    handler: z
      .string()
      .min(1)
      .optional()
      .describe('path/to/file.export relative to the scenario file, or file.export inside codeDir'),
    codeDir: z
      .string()
      .min(1)
      .optional()
      .describe('Folder holding the code; handler is then Lambda-style file.export'),
    runtime: z.enum(RUNTIMES).optional().describe('Default: inferred from the handler file extension'),
    memory: z
      .union([memoryValue, z.array(memoryValue).min(1)], { error: MEMORY_HELP })
      .optional()
      .describe('MB (integer or size string); a list is a sweep dimension. Default 128'),
    timeout: duration({ minMs: 1000, maxMs: 900_000, label: 'a timeout from 1s to 900s (15m)' })
      .optional()
      .describe('Default 3s'),
    concurrency: z.int().min(0).optional().describe('Reserved concurrency'),
    provisioned: z.int().min(0).optional().describe('Provisioned concurrency'),
    environment: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('Environment variables; numbers and booleans become strings'),
    name: z.string().min(1).optional().describe('The deployed function name or ARN (target: aws)'),
  })
  .describe('A Lambda function under test');

const phaseSchema = z
  .strictObject({
    name: z.string().optional(),
    duration: duration().optional(),
    arrivalRate: z.number().min(0).optional().describe('Arrivals per second (start rate when rampTo is set)'),
    rampTo: z.number().min(0).optional().describe('Rate reached linearly at the end of the phase'),
    arrivalCount: z.int().min(0).optional().describe('Arrivals spread evenly over the duration'),
    pause: duration().optional().describe('A phase with no arrivals'),
  })
  .superRefine((p, ctx) => {
    const problem = phaseShapeProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [], input: p });
  });

/** Artillery's phase shapes: {duration, arrivalRate[, rampTo]}, {duration, arrivalCount}, {pause}. */
function phaseShapeProblem(p: z.infer<typeof phaseSchema>): string | undefined {
  const loadKeys = ['duration', 'arrivalRate', 'rampTo', 'arrivalCount'] as const;
  if (p.pause !== undefined) {
    const extra = loadKeys.filter((k) => p[k] !== undefined);
    return extra.length ? `a pause phase takes only pause (and name); remove ${extra.join(', ')}` : undefined;
  }
  if (p.duration === undefined) return 'a phase needs duration with arrivalRate or arrivalCount, or pause';
  if (p.arrivalRate !== undefined && p.arrivalCount !== undefined)
    return 'choose arrivalRate or arrivalCount, not both';
  if (p.rampTo !== undefined && p.arrivalRate === undefined)
    return 'rampTo needs arrivalRate (the start rate)';
  if (p.arrivalRate === undefined && p.arrivalCount === undefined)
    return 'missing arrivalRate or arrivalCount';
  return undefined;
}

const closedLoadSchema = z
  .strictObject({
    concurrency: z.int().min(1).describe('Virtual users, each with one request in flight'),
    duration: duration(),
    thinkTime: duration({ minMs: 0, label: 'a duration' })
      .optional()
      .describe('Pause between requests; default 0ms'),
  })
  .describe('Closed model');

export const loadSchema = z
  .union([z.array(phaseSchema).min(1, { error: 'expected at least one phase' }), closedLoadSchema], {
    error: 'expected a list of phases, or { concurrency, duration, thinkTime } for a closed model',
  })
  .describe('Open model: a list of phases. Closed model: { concurrency, duration, thinkTime }');

/** Generator options: `type`/`event` name the event type; the rest belongs to the generator. */
/** One event type, or several that successive arrivals take in turn (push sources). */
const eventTypeSchema = z.union([z.string(), z.array(z.string()).min(1)], {
  error: 'expected an event type or a list of them',
});

const eventOptions = (description: string) =>
  z
    .looseObject({
      type: eventTypeSchema.optional().describe('Event type (alias: event); a list takes each in turn'),
      event: eventTypeSchema.optional().describe('Event type (alias: type); a list takes each in turn'),
    })
    .describe(description);

const subscriptionSchema = z.strictObject({
  to: z.string().min(1),
  filterPolicy: z.record(z.string(), z.unknown()).optional(),
  filterPolicyScope: z
    .enum(['MessageAttributes', 'MessageBody'])
    .optional()
    .describe('Default MessageAttributes'),
});

export const EVENT_KEYS = [
  'invoke',
  's3',
  'sns',
  'apigateway',
  'eventbridge',
  'cloudformation',
  'alexa',
] as const;
export const PULL_KEYS = ['kinesis', 'dynamodb', 'sqs'] as const;

const sourceSchema = z
  .strictObject({
    invoke: z.unknown().optional().describe('Direct invoke: the payload (strings may hold {{ }} templates)'),
    s3: eventOptions('S3 notifications (async)').optional(),
    sns: eventOptions('SNS notifications (async)').optional(),
    apigateway: eventOptions('API Gateway proxy events (sync); version: 1 (REST) or 2 (HTTP API)')
      .extend({ version: z.union([z.literal(1), z.literal(2)], { error: 'expected 1 or 2' }).optional() })
      .optional(),
    eventbridge: eventOptions('EventBridge events (async)').optional(),
    cloudformation: eventOptions('CloudFormation custom resource requests (async)').optional(),
    alexa: eventOptions('Alexa skill requests (sync)').optional(),
    kinesis: pullSourceSchemas.kinesis.optional(),
    dynamodb: pullSourceSchemas.dynamodb.optional(),
    sqs: pullSourceSchemas.sqs.optional(),
    mapping: mappingSchema.optional().describe('kinesis, dynamodb, sqs only: the event source mapping'),
    async: z.boolean().optional().describe('invoke only: InvocationType Event instead of RequestResponse'),
    invocationType: z
      .enum(['RequestResponse', 'Event'], { error: 'expected RequestResponse or Event' })
      .optional()
      .describe(
        'Async sources on target aws: Event sends real Event invokes and reads figures from CloudWatch Logs; default RequestResponse (lambench models the async queue)',
      ),
    delivery: z
      .enum(['direct', 'service'], { error: 'expected direct or service' })
      .optional()
      .describe(
        'sns and kinesis on target aws: service publishes to the real topic / puts on the real stream and AWS invokes the function; default direct',
      ),
    topicArn: z.string().min(1).optional().describe('sns with delivery: service: the topic to publish to'),
    streamName: z
      .string()
      .min(1)
      .optional()
      .describe('kinesis with delivery: service: the stream (name or ARN) to put records on'),
    to: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
        error: 'expected a function name or a list of names',
      })
      .optional(),
    subscriptions: z.array(subscriptionSchema).min(1).optional().describe('sns only'),
    load: loadSchema.optional(),
    distribution: z.enum(['uniform', 'poisson']).optional().describe('Default uniform'),
    maxInFlight: z.int().min(1).optional().describe('Default 1000'),
    payload: z
      .strictObject({
        path: z.string().min(1).describe('CSV file; the header row names the template variables'),
        order: z.enum(['sequence', 'random']).optional().describe('Default sequence'),
        delimiter: z.string().min(1).optional().describe('Default ","'),
      })
      .optional(),
    processor: z.string().min(1).optional().describe('Module exporting buildEvent(event, ctx)'),
    retries: z
      .strictObject({
        maximumRetryAttempts: z.int().min(0).max(2).optional().describe('Default 2'),
        maximumEventAge: duration({ minMs: 60_000, maxMs: 21_600_000, label: 'a duration from 60s to 6h' })
          .optional()
          .describe('Default 6h'),
        delays: z
          .array(duration())
          .min(1)
          .optional()
          .describe('Default [1m, 2m] (AWS); compress them for tests'),
      })
      .optional()
      .describe('Async sources only'),
    onFailure: z.literal('dlq', { error: 'expected dlq' }).optional().describe('Async sources only'),
    integrationTimeout: duration({ minMs: 50, maxMs: 30_000, label: 'a duration from 50ms to 30s' })
      .optional()
      .describe('apigateway only; default 29s'),
    responseTimeout: duration({ minMs: 1000, maxMs: 3_600_000, label: 'a duration from 1s to 1h' })
      .optional()
      .describe('cloudformation only; default 60s'),
  })
  .describe('An event source: one event key, the functions it invokes, and its load');

const thresholdSchema = z.union(
  [
    z.string(),
    z.strictObject({
      threshold: z.string().describe('The expression, e.g. latency.p99 < 800ms'),
      abortOnFail: z.boolean().optional().describe('Stop the run as soon as it fails'),
      delayAbortEval: duration({ minMs: 0, label: 'a duration' })
        .optional()
        .describe('How long into the run before it may abort it (default 0s)'),
    }),
  ],
  { error: 'expected a threshold like "latency.p99 < 800ms", or { threshold, abortOnFail, delayAbortEval }' },
);

const reportSchema = z
  .strictObject({
    html: z.boolean().optional().describe('Write report.html next to results.json'),
    summary: z.literal('md', { error: 'expected md' }).optional().describe('Write summary.md (Markdown)'),
    junit: z.string().min(1).optional().describe('Write a JUnit XML file here (relative to the run folder)'),
    baseline: z
      .string()
      .min(1)
      .optional()
      .describe('results.json to compare with; regressions fail like thresholds'),
    maxRegression: z
      .string()
      .min(1)
      .optional()
      .describe('Allowed regression per metric, e.g. p99=10%,coldStarts.rate=2pp'),
  })
  .describe('Report options');

export const scenarioSchema = z
  .strictObject({
    name: z
      .string({
        error: (iss) =>
          iss.input === undefined ? 'missing: every scenario needs a name' : 'expected a string',
      })
      .min(1),
    description: z.string().optional(),
    seed: z.int({ error: 'expected an integer seed' }).optional().describe('Default 1'),
    target: z.enum(['local', 'aws']).optional().describe('Default local (the embedded emulator)'),
    aws: z
      .strictObject({
        region: z.string().optional(),
        profile: z.string().optional(),
        endpoint: z
          .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
          .optional()
          .describe('Another endpoint speaking the AWS protocols (e.g. lambench serve)'),
        endpoints: z
          .strictObject({
            sns: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
            kinesis: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
            logs: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
          })
          .optional()
          .describe('Per-service endpoints over endpoint (delivery: service, CloudWatch Logs)'),
        logsWait: duration({ minMs: 0, maxMs: 900_000, label: 'a duration up to 15m' })
          .optional()
          .describe('How long to wait for REPORT lines to reach CloudWatch Logs; default 60s'),
      })
      .optional(),
    local: z
      .strictObject({
        saturatedGrace: duration({ minMs: 0, label: 'a duration' })
          .optional()
          .describe(
            'How long an invoke that finds every environment busy on a saturated host waits for one to free before starting a new one; 0ms is Lambda\'s rule; default 1ms (README "What differs from AWS")',
          ),
        cpuLimiter: z
          .enum(['auto', 'cgroup-v2', 'cgroup-v1', 'duty-cycle', 'off'])
          .optional()
          .describe(
            'How each environment is held to memory/1,769 of a core; default auto (the best this machine allows), over LAMBENCH_CPU_LIMITER',
          ),
      })
      .optional()
      .describe('Settings of the embedded emulator (target: local)'),
    template: z.string().min(1).optional().describe('SAM template: functions and their Events'),
    templateLoad: loadSchema.optional().describe('Load for template events that have no source of their own'),
    functions: z.record(z.string(), functionSchema).optional(),
    sources: z.record(z.string(), sourceSchema).optional(),
    expect: z
      .array(thresholdSchema)
      .optional()
      .describe('Thresholds: any failure makes the exit code 1 (docs/thresholds.md)'),
    report: reportSchema
      .optional()
      .describe('Reports written after the run, and the baseline to compare with'),
    run: z
      .strictObject({
        grace: duration({ minMs: 0, label: 'a duration' }).optional().describe('Default 10s'),
        output: z.string().min(1).optional().describe('Default reports'),
      })
      .optional(),
  })
  .describe('A lambench scenario');

export type RawScenario = z.infer<typeof scenarioSchema>;
export type RawFunction = z.infer<typeof functionSchema>;
export type RawSource = z.infer<typeof sourceSchema>;
export type RawLoad = z.infer<typeof loadSchema>;
export type RawPhase = z.infer<typeof phaseSchema>;
