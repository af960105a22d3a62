// One tool, one task, in a process of its own (forked by bench/peers.mjs): so a tool that crashes
// takes only this process with it, and its RSS is its own. Receives { tool, task, options } over
// IPC and answers with the task's result. Its parent removes the work folder and kills the
// driver's process group afterwards, whatever happened here.
//   measure: cold starts (interleaved with bare node starts), warm rate at c1/c4 for the trivial and
//            the CPU handler, then RSS of the tool's processes before and after a soak of invokes;
//   outcome: one failure case (timeout, crash, oom), then whether the tool still serves.
import { callTimes, elapsedMs, measureRate, spread, treeRss } from '../lib/measure.mjs';
import { bareNodeStartMs } from '../limits.mjs';
import { functionSet } from './functions.mjs';

const TOOLS = ['lambench-local', 'lambench-serve', 'fun', 'lambda-local', 'serverless-offline'];

let running;
let closing;
/** Closes the tool once (after the task, or when the parent's deadline sends SIGTERM). */
function closeTool() {
  closing ??= (running?.close() ?? Promise.resolve()).catch(() => {});
  return closing;
}
process.once('SIGTERM', async () => {
  await closeTool();
  process.exit(143);
});

process.once('message', async ({ tool, task, options, work }) => {
  try {
    if (!TOOLS.includes(tool)) throw new Error(`unknown tool ${tool}`);
    const { start } = await import(`./tools/${tool}.mjs`);
    running = await start({ functions: functionSet(options.cold ?? 0), work });
    const result = task === 'measure' ? await measure(running, options) : await outcome(running, options);
    process.send({ ok: true, version: running.version, ...result });
  } catch (e) {
    process.send({ ok: false, error: String(e?.stack ?? e) });
  } finally {
    await closeTool();
    process.exit(0);
  }
});

/** Fails the call when the tool answers with an error: a warm figure counts only good invokes. */
function okCall(running, name) {
  return async () => {
    const r = await running.invoke(name);
    if (!r.ok) throw new Error(`${name} failed: ${r.errorType}: ${r.message}`);
  };
}

async function measure(running, o) {
  const cold = [];
  const bare = [];
  await bareNodeStartMs();
  for (let i = 0; i < o.cold; i++) {
    bare.push(await bareNodeStartMs());
    const t = process.hrtime.bigint();
    await okCall(running, `cold${i}`)();
    cold.push(elapsedMs(t));
  }
  const warm = {};
  for (const [handler, s] of [
    ['trivial', o.trivial],
    ['cpu', o.cpu],
  ]) {
    for (const c of [1, 4]) {
      warm[`${handler}.c${c}`] = await measureRate(okCall(running, handler), { concurrency: c, ...s });
      const w = warm[`${handler}.c${c}`];
      console.log(
        `  ${handler} c${c}: ${w.median.toFixed(0)}/s (${w.min.toFixed(0)}–${w.max.toFixed(0)}), p50 ${w.p50Ms.toFixed(3)} ms, p99 ${w.p99Ms.toFixed(3)} ms`,
      );
    }
  }
  // The figures so far reach the parent even if the soak is cut short by its deadline.
  process.send({ partial: true, version: running.version, cold: spread(cold), bare: spread(bare), warm });
  const rssBefore = treeRss(running.rssRoot);
  const t = process.hrtime.bigint();
  const invokes = await callTimes(okCall(running, 'trivial'), o.soak, 4, o.soakMaxS);
  const soakS = elapsedMs(t) / 1000;
  const rssAfter = treeRss(running.rssRoot);
  return {
    cold: spread(cold),
    bare: spread(bare),
    warm,
    rss: { before: rssBefore, after: rssAfter, invokes, seconds: soakS, cut: invokes < o.soak },
  };
}

async function outcome(running, o) {
  const t = process.hrtime.bigint();
  let answer;
  try {
    answer = await running.invoke(o.case);
  } catch (e) {
    answer = { ok: false, thrown: true, errorType: e?.name ?? 'Error', message: String(e?.message ?? e) };
  }
  const seconds = elapsedMs(t) / 1000;
  let after;
  try {
    after = (await running.invoke('trivial')).ok ? 'ok' : 'error';
  } catch (e) {
    after = `failed (${e?.name ?? 'Error'})`;
  }
  return { answer, seconds, after };
}
