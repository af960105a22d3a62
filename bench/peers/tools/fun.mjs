// @vercel/fun 1.3.6 through its library API with the `nodejs` runtime (the system's Node): a
// pool of up to 10 processes per function, frozen with SIGSTOP between invokes.
import { errorOf, FUNCTIONS_DIR } from '../functions.mjs';
import { PEERS, peerRequire } from '../install.mjs';

export const tool = { id: 'fun', label: '@vercel/fun (processes)', isolation: 'processes' };

export async function start({ functions }) {
  const fun = peerRequire('fun')('@vercel/fun');
  const fns = new Map();
  for (const f of functions) {
    fns.set(
      f.name,
      await fun.createFunction({
        FunctionName: f.name,
        Code: { Directory: FUNCTIONS_DIR },
        Handler: `${f.file}.handler`,
        Runtime: 'nodejs',
        MemorySize: f.memoryMB,
        Timeout: f.timeoutS,
      }),
    );
  }
  return {
    version: `@vercel/fun ${PEERS.fun.packages['@vercel/fun']}`,
    rssRoot: process.pid,
    async invoke(name) {
      const out = await fns.get(name).invoke({ InvocationType: 'RequestResponse', Payload: '{}' });
      const body = String(out.Payload);
      return out.FunctionError ? { ok: false, ...errorOf(body) } : { ok: true, body };
    },
    close: async () => {
      await Promise.all([...fns.values()].map((f) => f.destroy()));
    },
  };
}
