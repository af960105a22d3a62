/**
 * The Invoke path through @aws-sdk/client-lambda's InvokeCommand, with the SDK's retries off so a
 * throttle is measured as one. Kept next to the signed HTTP path (the default) so the benchmark
 * and the contract tests can compare them on the same endpoint.
 */
import { InvokeCommand, type LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import type { InvocationResult, InvokeRequest } from '../types.js';
import type { Invoker } from './invoke-http.js';
import { errorTypeFromHeader, resultFromInvoke, resultFromServiceError } from './invoke-result.js';

/** An Invoker over an SDK client (create it with maxAttempts: 1). */
export function createSdkInvoker(client: LambdaClient): Invoker {
  return {
    async invoke(req: InvokeRequest): Promise<InvocationResult> {
      const start = process.hrtime.bigint();
      const elapsedUs = () => Number((process.hrtime.bigint() - start) / 1000n);
      try {
        const out = await client.send(
          new InvokeCommand({
            FunctionName: req.functionName,
            Qualifier: req.qualifier,
            InvocationType: req.type,
            LogType: req.type === 'RequestResponse' ? 'Tail' : 'None',
            Payload: typeof req.payload === 'string' ? Buffer.from(req.payload) : req.payload,
          }),
        );
        return resultFromInvoke(
          {
            statusCode: out.StatusCode ?? 200,
            payload: out.Payload ?? new Uint8Array(0),
            ...(out.FunctionError === undefined ? {} : { functionError: out.FunctionError }),
            ...(out.LogResult === undefined ? {} : { logResult: out.LogResult }),
            ...(out.ExecutedVersion === undefined ? {} : { executedVersion: out.ExecutedVersion }),
            ...(out.$metadata.requestId === undefined ? {} : { requestId: out.$metadata.requestId }),
          },
          elapsedUs(),
        );
      } catch (error) {
        if (!(error instanceof LambdaServiceException)) {
          const code = (error as { code?: unknown }).code;
          return resultFromServiceError(
            { errorType: typeof code === 'string' ? code : 'NetworkError', message: String(error) },
            elapsedUs(),
          );
        }
        const e = error as LambdaServiceException & {
          Reason?: unknown;
          $response?: { headers?: Record<string, string | undefined> };
        };
        const out: { errorType: string; message: string; reason?: string; retryAfterS?: number } = {
          errorType: errorTypeFromHeader(e.name) ?? 'ServiceException',
          message: e.message,
        };
        if (typeof e.Reason === 'string') out.reason = e.Reason;
        // The SDK keeps the raw response on the exception; Retry-After is only there.
        const header = e.$response?.headers?.['retry-after'];
        const retryAfter = Number(header);
        if (header !== undefined && Number.isFinite(retryAfter)) out.retryAfterS = retryAfter;
        return resultFromServiceError(out, elapsedUs());
      }
    },
    async close() {
      client.destroy();
    },
  };
}
