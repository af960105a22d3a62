/**
 * Push-source delivery: how S3, SNS, API Gateway, EventBridge, CloudFormation, Alexa and direct
 * invokes hand events to a function, reported to the metrics sink (one attempt per call, one
 * outcome per arrival).
 */

/** API Gateway proxy delivery (v1 REST, v2 HTTP API) with the client's HTTP status on each attempt. */
export {
  type ApiGatewayOptions,
  createApiGatewayDelivery,
  DEFAULT_INTEGRATION_TIMEOUT_MS,
  INTEGRATION_TIMEOUT,
} from './api-gateway.js';
/** Async delivery (S3, SNS subscriptions, EventBridge, invoke async). */
export { type AsyncDeliveryOptions, createAsyncDelivery } from './async.js';
/** Lambda's async invocation settings, defaults and validation. */
export { type AsyncConfig, DEFAULT_ASYNC_CONFIG, resolveAsyncConfig } from './async-config.js';
/** The async queue itself (retries, throttle back-off, event age, destination), for composed deliveries. */
export {
  type AsyncFinal,
  type AsyncQueue,
  type AsyncQueueOptions,
  createAsyncQueue,
  type QueueSender,
} from './async-queue.js';
/** CloudFormation custom resources: the local ResponseURL endpoint, the response check, the delivery. */
export {
  type CfnResponse,
  type CfnWait,
  type ResponseEndpoint,
  startResponseEndpoint,
} from './cfn-endpoint.js';
export {
  type CfnRequestIds,
  type CfnVerdict,
  cfnServiceTimeoutMs,
  checkCfnResponse,
  withResponseUrl,
} from './cfn-response.js';
export {
  type CloudFormationOptions,
  createCloudFormationDelivery,
  DEFAULT_CFN_RESPONSE_TIMEOUT_MS,
} from './cloudformation.js';

/** The on-failure destination JSONL file and the invocation record written to it. */
export { createDestinationFile, type DestinationFile, destinationPath } from './destination-file.js';
export { type FailureCondition, functionArn, type InvocationRecord } from './destination-record.js';

/** SNS filter policies compiled to predicates. */
export {
  compileFilterPolicy,
  type FilterPolicyScope,
  type MessageFilter,
  type SnsFilterMessage,
} from './filter-policy.js';
/** Pure mapping from an invocation result to the HTTP status API Gateway returns. */
export {
  MALFORMED_PROXY_RESPONSE,
  type ProxyStatus,
  type ProxyVersion,
  proxyResponseStatus,
} from './proxy-response.js';
/** SNS fan-out to subscriptions by filter policy (reports arrivals and filtered messages itself). */
export { createSnsFanout, type SnsFanout, type SnsSubscription } from './sns-fanout.js';
/** Synchronous invoke (direct, Alexa): one call, no retries. */
export { createSyncDelivery } from './sync.js';
/** The common Delivery shape and the context every delivery is created with. */
export type { Delivery, DeliveryContext } from './types.js';
