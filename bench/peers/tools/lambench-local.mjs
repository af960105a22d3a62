// lambench through its in-process API: the emulator in this process, one OS process per
// execution environment (the path `lambench run` takes for local functions).
import { createEmulator } from '../../../dist/emulator/index.js';
import { errorOf, FUNCTIONS_DIR, nodeRuntime } from '../functions.mjs';

export const tool = { id: 'lambench-local', label: 'lambench in-process API', isolation: 'processes' };

export async function start({ functions }) {
  const api = await createEmulator();
  for (const f of functions) {
    await api.createFunction({
      functionName: f.name,
      codeDir: FUNCTIONS_DIR,
      handler: `${f.file}.handler`,
      runtime: nodeRuntime(),
      memorySize: f.memoryMB,
      timeout: f.timeoutS,
    });
  }
  return {
    version: `lambench (this tree), cpu limiter ${api.cpuLimiter}`,
    rssRoot: process.pid,
    async invoke(name) {
      const out = await api.invoke({ functionName: name, payload: '{}' });
      const body = Buffer.from(out.payload).toString();
      return out.functionError ? { ok: false, ...errorOf(body) } : { ok: true, body };
    },
    close: () => api.close(),
  };
}
