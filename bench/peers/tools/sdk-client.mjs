// The one client both HTTP tools are called with: @aws-sdk/client-lambda on a keep-alive agent,
// no retries (a retry would hide a failure and double-count a call).
import { Agent } from 'node:http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { errorOf } from '../functions.mjs';

/** An invoke function for an endpoint; `qualify` maps our function name to the tool's. */
export function sdkInvoker(endpoint, qualify = (name) => name) {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const client = new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: agent, requestTimeout: 60_000 }),
  });
  const payload = new TextEncoder().encode('{}');
  return {
    async invoke(name) {
      const out = await client.send(new InvokeCommand({ FunctionName: qualify(name), Payload: payload }));
      const body = Buffer.from(out.Payload ?? []).toString();
      return out.FunctionError ? { ok: false, ...errorOf(body) } : { ok: true, body };
    },
    close() {
      client.destroy();
      agent.destroy();
    },
  };
}

/** Keeps the last `max` characters a process printed, for an error message when it fails. */
export function tail(stream, max = 4000) {
  let text = '';
  stream.on('data', (d) => {
    text = (text + d.toString()).slice(-max);
  });
  return () => text;
}

/**
 * Resolves with the first match of `re` in what `proc` prints on stdout or stderr; rejects when it
 * exits first or after `ms`.
 */
export function waitFor(proc, re, ms, printed) {
  return new Promise((resolve, reject) => {
    const seen = { out: '', err: '' };
    const done = (fn) => {
      clearTimeout(timer);
      proc.stdout.off('data', onOut);
      proc.stderr.off('data', onErr);
      proc.off('exit', onExit);
      fn();
    };
    const check = (which, d) => {
      seen[which] = (seen[which] + d.toString()).slice(-8000);
      const m = re.exec(seen[which]);
      if (m) done(() => resolve(m));
    };
    const onOut = (d) => check('out', d);
    const onErr = (d) => check('err', d);
    const onExit = (code) =>
      done(() => reject(new Error(`exited with ${code} before it was ready: ${printed()}`)));
    const timer = setTimeout(
      () => done(() => reject(new Error(`not ready after ${ms / 1000} s: ${printed()}`))),
      ms,
    );
    proc.stdout.on('data', onOut);
    proc.stderr.on('data', onErr);
    proc.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL after `ms` if the process is still there. */
export async function stop(proc, ms = 5000) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}
