/**
 * API Gateway proxy events (synchronous invoke): REST API payload 1.0 and HTTP API payload 2.0.
 *
 * Rules reproduced (API Gateway developer guide, Lambda proxy integrations; @types/aws-lambda):
 * - v1 keeps header casing, has `multiValueHeaders` and `multiValueQueryStringParameters`, and sends
 *   `null` (not `{}`) for absent query, path parameters, stage variables and body;
 * - v2 lowercases header names and joins repeats with commas, moves `Cookie` into `cookies[]`,
 *   joins repeated query keys with commas, has no multiValue fields, and leaves absent fields out;
 * - a binary body is base64 with `isBase64Encoded: true`.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { type ClientRequest, matchResource, type Pairs, readRequest } from './apigateway-request.js';
import { clfTime, DEFAULT_ACCOUNT, DEFAULT_REGION, hash32 } from './common.js';
import { type Build, definePushSource } from './define.js';
import { chars, hex, randomBase64, uuid } from './random.js';

/** REST proxy event; `requestContext.authorizer` is left out when no authorizer ran, as AWS does. */
export type RestProxyEvent = Omit<APIGatewayProxyEvent, 'requestContext'> & {
  requestContext: Omit<APIGatewayProxyEvent['requestContext'], 'authorizer'> & {
    authorizer?: Record<string, string | number>;
  };
};
export type HttpApiEvent = APIGatewayProxyEventV2 & {
  requestContext: { authorizer?: { lambda: Record<string, unknown> } };
};
export type ApiGatewayEvent = RestProxyEvent | HttpApiEvent;

const OPTIONS = [
  'method',
  'path',
  'resource',
  'query',
  'headers',
  'body',
  'binary',
  'stage',
  'stageVariables',
  'userAgent',
  'sourceIp',
  'apiId',
  'account',
  'region',
  'authorizer',
  'version',
] as const;

interface Api {
  apiId: string;
  account: string;
  domainName: string;
  timeEpoch: number;
}

function apiOf(b: Build): Api {
  const region = b.o.string('region') ?? DEFAULT_REGION;
  const apiId = b.o.string('apiId') ?? hash32(`api:${b.seed}`).toString(36).padStart(10, 'a').slice(0, 10);
  const account = b.o.string('account') ?? DEFAULT_ACCOUNT;
  return {
    apiId,
    account,
    domainName: `${apiId}.execute-api.${region}.amazonaws.com`,
    timeEpoch: Math.floor(b.now),
  };
}

function build(b: Build): ApiGatewayEvent {
  const version = b.o.number('version') ?? (b.type === 'http' ? 2 : 1);
  if (version !== 1 && version !== 2) b.o.fail('version', '1 (REST) or 2 (HTTP API)', version);
  const request = readRequest(b);
  return version === 2 ? httpEvent(b, request, apiOf(b)) : restEvent(b, request, apiOf(b));
}

function restEvent(b: Build, req: ClientRequest, api: Api): RestProxyEvent {
  const { o, r } = b;
  const resource = o.string('resource') ?? '/{proxy+}';
  const params = matchResource(resource, req.path, 'resource');
  const stage = o.string('stage') ?? 'prod';
  const headers = [['Accept', '*/*'], ['Host', api.domainName], ...req.headers, ...forwarded(b)] as Pairs;
  const authorizer = authorizerV1(b);
  return {
    resource,
    path: req.path,
    httpMethod: req.method,
    headers: lastValues(headers),
    multiValueHeaders: allValues(headers),
    queryStringParameters: req.query.length ? lastValues(req.query) : null,
    multiValueQueryStringParameters: req.query.length ? allValues(req.query) : null,
    pathParameters: Object.keys(params).length ? params : null,
    stageVariables: o.stringMap('stageVariables') ?? null,
    requestContext: {
      accountId: api.account,
      apiId: api.apiId,
      resourceId: chars(r, 6, 'abcdefghijklmnopqrstuvwxyz0123456789'),
      resourcePath: resource,
      httpMethod: req.method,
      extendedRequestId: `${randomBase64(r, 11).slice(0, 15)}=`,
      requestTime: clfTime(b.now),
      requestTimeEpoch: api.timeEpoch,
      path: `/${stage}${req.path}`,
      protocol: 'HTTP/1.1',
      stage,
      domainPrefix: api.apiId,
      domainName: api.domainName,
      requestId: uuid(r),
      identity: {
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        accountId: null,
        caller: null,
        accessKey: null,
        user: null,
        userArn: null,
        principalOrgId: null,
        apiKey: null,
        apiKeyId: null,
        clientCert: null,
        sourceIp: req.sourceIp,
        userAgent: req.userAgent,
      },
      ...(authorizer ? { authorizer } : {}),
    },
    body: req.body ?? null,
    isBase64Encoded: req.isBase64Encoded,
  };
}

function httpEvent(b: Build, req: ClientRequest, api: Api): HttpApiEvent {
  const { o, r } = b;
  const route = o.string('resource');
  const routeKey = route ? `${req.method} ${route}` : '$default';
  const params = route ? matchResource(route, req.path, 'resource') : {};
  const all = [['accept', '*/*'], ['host', api.domainName], ...req.headers, ...forwarded(b)] as Pairs;
  const cookies: string[] = [];
  const headers: Record<string, string> = {};
  for (const [name, value] of all) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') cookies.push(...value.split(/;\s*/).filter(Boolean));
    else headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  if (req.body !== undefined)
    headers['content-length'] = String(Buffer.byteLength(req.body, req.isBase64Encoded ? 'base64' : 'utf8'));
  const query: Record<string, string> = {};
  for (const [k, v] of req.query) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const stageVariables = o.stringMap('stageVariables');
  const authorizer = authorizerV2(b);
  const event: HttpApiEvent = {
    version: '2.0',
    routeKey,
    rawPath: req.path,
    rawQueryString: req.rawQuery,
    headers,
    requestContext: {
      accountId: api.account,
      apiId: api.apiId,
      domainName: api.domainName,
      domainPrefix: api.apiId,
      http: {
        method: req.method,
        path: req.path,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp,
        userAgent: req.userAgent,
      },
      // HTTP API request ids are 16 base64 characters ending in "=".
      requestId: `${randomBase64(r, 12).slice(0, 15)}=`,
      routeKey,
      stage: o.string('stage') ?? '$default',
      time: clfTime(b.now),
      timeEpoch: api.timeEpoch,
      ...(authorizer ? { authorizer: { lambda: authorizer } } : {}),
    },
    isBase64Encoded: req.isBase64Encoded,
  };
  if (cookies.length) event.cookies = cookies;
  if (req.query.length) event.queryStringParameters = query;
  if (Object.keys(params).length) event.pathParameters = params;
  if (stageVariables) event.stageVariables = stageVariables;
  if (req.body !== undefined) event.body = req.body;
  return event;
}

/** The headers the API Gateway front end adds to every proxied request. */
function forwarded(b: Build): Pairs {
  return [
    ['X-Amzn-Trace-Id', `Root=1-${Math.floor(b.now / 1000).toString(16)}-${hex(b.r, 24)}`],
    ['X-Forwarded-Port', '443'],
    ['X-Forwarded-Proto', 'https'],
  ];
}

/** The `authorizer` option: the context a Lambda authorizer returned, or undefined when none ran. */
function authorizerContext(b: Build): Record<string, unknown> | undefined {
  const given = b.o.json('authorizer');
  if (given === undefined || given === null) return undefined;
  if (typeof given !== 'object' || Array.isArray(given))
    return b.o.fail('authorizer', 'an object (the authorizer context)', given);
  return given as Record<string, unknown>;
}

/**
 * REST (payload 1.0): API Gateway turns number and boolean context values into strings and adds
 * principalId and integrationLatency next to them in `requestContext.authorizer`.
 */
function authorizerV1(b: Build): Record<string, string | number> | undefined {
  const given = authorizerContext(b);
  if (given === undefined) return undefined;
  const out: Record<string, string | number> = { principalId: 'user', integrationLatency: 0 };
  for (const [k, v] of Object.entries(given)) {
    // A REST authorizer whose context holds an object or array fails the request (500), so no
    // such event can reach the function.
    if (v !== null && typeof v === 'object')
      return b.o.fail('authorizer', 'string, number or boolean context values for a REST API', given);
    out[k] = k === 'integrationLatency' ? Number(v) : String(v);
  }
  return out;
}

/**
 * HTTP API (payload 2.0): `requestContext.authorizer.lambda` is the authorizer's context alone, its
 * values passed through with their JSON types — no principalId/integrationLatency wrapper, nothing
 * stringified. Sources: aws/aws-lambda-go events/testdata/apigw-v2-request-lambda-authorizer.json
 * (`"authorizer": {"lambda": {"key": "value"}}`) and its `Lambda map[string]interface{}` field;
 * the SAM CLI's local API Gateway (samcli/local/apigw/local_apigw_service.py), which puts the
 * authorizer's `context` object unchanged under `lambda` for payload 2.0.
 */
function authorizerV2(b: Build): Record<string, unknown> | undefined {
  return authorizerContext(b);
}

function lastValues(pairs: Pairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

function allValues(pairs: Pairs): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of pairs) {
    const values = out[k] ?? [];
    values.push(v);
    out[k] = values;
  }
  return out;
}

export const apiGatewayGenerator = definePushSource<ApiGatewayEvent>({
  source: 'apigateway',
  description: 'API Gateway proxy requests: REST payload 1.0 and HTTP API payload 2.0',
  types: [
    {
      name: 'rest',
      description: 'REST API proxy integration, payload 1.0',
      aliases: ['v1', 'aws-proxy', 'proxy', '1.0'],
    },
    {
      name: 'http',
      description: 'HTTP API (and function URL) payload 2.0',
      aliases: ['v2', 'http-api', 'http-api-proxy', '2.0'],
    },
  ],
  defaultType: 'rest',
  options: OPTIONS,
  build,
});
