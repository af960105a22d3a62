/**
 * The control-plane operations over HTTP: each one reads its request, calls the in-process API and
 * returns the status and JSON body Lambda would (status codes from the service model's `http` traits).
 */
import { invalidParameter } from './http-errors.js';
import { type FunctionRef, parseFunctionRef, type RouteMatch } from './http-routes.js';
import {
  aliasJson,
  configurationJson,
  getFunctionJson,
  type Json,
  parseCreateAlias,
  parseCreateFunction,
  parseJsonBody,
  parseReservedConcurrency,
  parseUpdateAlias,
  parseUpdateConfiguration,
} from './http-shapes.js';
import type { LambdaApi } from './types.js';

export interface ControlResult {
  status: number;
  json?: Json;
}

/** Serves one control-plane request (every operation but Invoke). */
export async function serveControl(
  api: LambdaApi,
  match: RouteMatch,
  qualifier: string | undefined,
  body: Buffer,
): Promise<ControlResult> {
  const ref = match.functionName === undefined ? undefined : parseFunctionRef(match.functionName, qualifier);
  switch (match.operation) {
    case 'ListFunctions':
      return ok({ Functions: api.listFunctions().map(configurationJson) });
    case 'GetAccountSettings': {
      const a = api.getAccountSettings();
      return ok({
        AccountLimit: {
          ConcurrentExecutions: a.concurrentExecutions,
          UnreservedConcurrentExecutions: a.unreservedConcurrentExecutions,
          CodeSizeUnzipped: 262_144_000,
          CodeSizeZipped: 52_428_800,
          TotalCodeSize: 80_530_636_800,
        },
        AccountUsage: { FunctionCount: api.listFunctions().length, TotalCodeSize: 0 },
      });
    }
    case 'CreateFunction':
      return {
        status: 201,
        json: configurationJson(await api.createFunction(parseCreateFunction(parseJsonBody(body)))),
      };
  }
  if (ref === undefined) throw invalidParameter('FunctionName is required.');
  return serveFunctionOperation(api, match, ref, body);
}

async function serveFunctionOperation(
  api: LambdaApi,
  match: RouteMatch,
  ref: FunctionRef,
  body: Buffer,
): Promise<ControlResult> {
  const { name, qualifier } = ref;
  switch (match.operation) {
    case 'GetFunction':
      return ok(
        getFunctionJson(api.getFunctionConfiguration(name, qualifier), api.getFunctionConcurrency(name)),
      );
    case 'GetFunctionConfiguration':
      return ok(configurationJson(api.getFunctionConfiguration(name, qualifier)));
    case 'DeleteFunction':
      if (qualifier !== undefined) await api.deleteVersion(name, qualifier);
      else await api.deleteFunction(name);
      return { status: 204 };
    case 'UpdateFunctionConfiguration':
      unqualified(ref);
      return ok(
        configurationJson(
          await api.updateFunctionConfiguration(name, parseUpdateConfiguration(parseJsonBody(body))),
        ),
      );
    case 'PublishVersion': {
      unqualified(ref);
      const description = parseJsonBody(body).Description;
      const published = api.publishVersion(name, typeof description === 'string' ? description : undefined);
      return { status: 201, json: configurationJson(published) };
    }
    case 'ListVersionsByFunction':
      return ok({ Versions: api.listVersionsByFunction(name).map(configurationJson) });
    default:
      return serveAliasOrConcurrency(api, match, ref, body);
  }
}

async function serveAliasOrConcurrency(
  api: LambdaApi,
  match: RouteMatch,
  ref: FunctionRef,
  body: Buffer,
): Promise<ControlResult> {
  unqualified(ref);
  const name = ref.name;
  const aliasName = match.aliasName ?? '';
  switch (match.operation) {
    case 'CreateAlias':
      return { status: 201, json: aliasJson(api.createAlias(name, parseCreateAlias(parseJsonBody(body)))) };
    case 'ListAliases':
      return ok({ Aliases: api.listAliases(name).map(aliasJson) });
    case 'GetAlias':
      return ok(aliasJson(api.getAlias(name, aliasName)));
    case 'UpdateAlias':
      return ok(aliasJson(api.updateAlias(name, aliasName, parseUpdateAlias(parseJsonBody(body)))));
    case 'DeleteAlias':
      api.deleteAlias(name, aliasName);
      return { status: 204 };
    case 'PutFunctionConcurrency': {
      const reserved = parseReservedConcurrency(parseJsonBody(body));
      api.putFunctionConcurrency(name, reserved);
      return ok({ ReservedConcurrentExecutions: reserved });
    }
    case 'GetFunctionConcurrency': {
      const reserved = api.getFunctionConcurrency(name);
      return ok(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
    }
    case 'DeleteFunctionConcurrency':
      api.deleteFunctionConcurrency(name);
      return { status: 204 };
    default:
      throw invalidParameter(`${match.operation} is not a control-plane operation.`);
  }
}

function ok(json: Json): ControlResult {
  return { status: 200, json };
}

/** Operations on the function as a whole take an unqualified name, as on AWS. */
function unqualified(ref: FunctionRef): void {
  if (ref.qualifier !== undefined) {
    throw invalidParameter(
      `This operation takes an unqualified function name; got qualifier '${ref.qualifier}'.`,
    );
  }
}
