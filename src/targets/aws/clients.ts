/**
 * Client configuration shared by every AWS client lambench makes: region, profile, an endpoint
 * override (`--endpoint`, `aws.endpoint`) and the SDK's default credential chain. Credentials are
 * resolved by the SDK and only ever held in memory.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsConnection {
  region?: string;
  profile?: string;
  /** Another endpoint speaking the same protocols (`lambench serve`, LocalStack, a VPC endpoint). */
  endpoint?: string;
  /** Explicit credentials (tests); default: the SDK's default chain (env, profile, SSO, IMDS, …). */
  credentials?: AwsCredentialIdentityProvider;
  /** Per-service endpoints, over `endpoint` (`aws.endpoints` in the scenario). */
  endpoints?: ServiceEndpoints;
}

/** Endpoints for the services besides Lambda that lambench calls. */
export interface ServiceEndpoints {
  sns?: string;
  kinesis?: string;
  logs?: string;
}

/** The connection with one service's own endpoint in place of the shared one. */
export function forService(c: AwsConnection, service: keyof ServiceEndpoints): AwsConnection {
  const endpoint = c.endpoints?.[service];
  return endpoint === undefined ? c : { ...c, endpoint };
}

/** The options every SDK client constructor takes, from a connection. */
export function clientConfig(c: AwsConnection, maxAttempts?: number) {
  return {
    ...(c.region === undefined ? {} : { region: c.region }),
    ...(c.profile === undefined ? {} : { profile: c.profile }),
    ...(c.endpoint === undefined ? {} : { endpoint: c.endpoint }),
    ...(c.credentials === undefined ? {} : { credentials: c.credentials }),
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  };
}

/** A Lambda client for the control plane (the SDK's standard retries stay on there). */
export function controlClient(c: AwsConnection): LambdaClient {
  return new LambdaClient(clientConfig(c));
}

/** A Lambda client for invokes: no retries (a throttle is a measurement) and a large keep-alive pool. */
export function invokeClient(c: AwsConnection, maxSockets = 256): LambdaClient {
  return new LambdaClient({
    ...clientConfig(c, 1),
    requestHandler: new NodeHttpHandler({
      httpAgent: { keepAlive: true, maxSockets },
      httpsAgent: { keepAlive: true, maxSockets },
    }),
  });
}

/** The region the SDK resolved (flag, profile or AWS_REGION); a clear error when there is none. */
export async function resolvedRegion(client: LambdaClient): Promise<string> {
  return client.config.region();
}

/**
 * A Kinesis client for PutRecords over HTTP/1.1 keep-alive. The SDK's default for Kinesis is an
 * HTTP/2 handler (for SubscribeToShard), which endpoints such as kinesalite do not speak.
 */
export function kinesisClient(c: AwsConnection): KinesisClient {
  return new KinesisClient({
    ...clientConfig(forService(c, 'kinesis')),
    requestHandler: new NodeHttpHandler({ httpAgent: { keepAlive: true }, httpsAgent: { keepAlive: true } }),
  });
}

/** A CloudWatch Logs client for reading REPORT lines (standard retries: FilterLogEvents is throttled at a few calls/s). */
export function logsClient(c: AwsConnection): CloudWatchLogsClient {
  return new CloudWatchLogsClient(clientConfig(forService(c, 'logs')));
}

/** An SNS client for PublishBatch. */
export function snsClient(c: AwsConnection): SNSClient {
  return new SNSClient(clientConfig(forService(c, 'sns')));
}
