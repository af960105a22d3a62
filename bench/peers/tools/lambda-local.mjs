// lambda-local 2.2.0: runs the handler inside the caller's process (no isolation), re-requiring
// the module on every call.
import { join } from 'node:path';
import { FUNCTIONS_DIR } from '../functions.mjs';
import { PEERS, peerRequire } from '../install.mjs';

export const tool = { id: 'lambda-local', label: 'lambda-local (in process)', isolation: 'none' };

export async function start({ functions }) {
  const lambdaLocal = peerRequire('lambda-local')('lambda-local');
  const byName = new Map(functions.map((f) => [f.name, f]));
  return {
    version: `lambda-local ${PEERS['lambda-local'].packages['lambda-local']}`,
    rssRoot: process.pid,
    async invoke(name) {
      const f = byName.get(name);
      try {
        const body = await lambdaLocal.execute({
          event: {},
          lambdaPath: join(FUNCTIONS_DIR, `${f.file}.js`),
          lambdaHandler: 'handler',
          timeoutMs: f.timeoutS * 1000,
          verboseLevel: 0,
        });
        return { ok: true, body: JSON.stringify(body) };
      } catch (e) {
        // lambda-local rejects with an Error, or with Lambda's error JSON as an object.
        return {
          ok: false,
          errorType: e?.errorType ?? e?.name ?? 'Error',
          message: String(e?.errorMessage ?? e?.message ?? JSON.stringify(e)),
        };
      }
    },
    close: async () => {},
  };
}
