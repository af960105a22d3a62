// One tool, one task, in a process of its own (forked by bench/peers.mjs): so a tool that crashes
// takes only this process with it, and its RSS is its own. Receives { tool, task, options } over
// IPC and answers with the task's result. Its parent removes the work folder and kills the
// driver's process group afterwards, whatever happened here.
//   measure: cold starts (interleaved with bare node starts), warm rate at c1/c4 for the trivial and
//            the CPU handler, then RSS of the tool's processes before and after a soak of invokes;
//   outcome: one failure case (timeout, crash, oom), then whether the tool still serves; or 'idle':
//            four calls at once after the tool's warm environments sat idle for a while.
import { callTimes, elapsedMs, measureRate, spread, treeRss } from '../lib/measure.mjs';
import { bareNodeStartMs } from '../limits.mjs';
import { functionSet } from './functions.mjs';

const TOOLS = ['lambench-local', 'lambench-serve', 'fun', 'lambda-local', 'serverless-offline'];

let running;
let closing;
/** Closes the tool once (after the task, or when the parent's deadline sends SIGTERM). */
function closeTool() {
  // A tool with calls that never answered may never finish closing (fun's pool waits for them):
  // the parent kills this driver's process group afterwards anyway.
  const limit = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
  closing ??= Promise.race([(running?.close() ?? Promise.resolve()).catch(() => {}), limit]);
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

/** A call that has not answered in this long is counted as hung (a tool may never answer). */
const CALL_LIMIT_MS = 30_000;

/** The tool's answer, or a rejection once CALL_LIMIT_MS have passed without one. */
function invokeWithin(running, name) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name}: no answer in ${CALL_LIMIT_MS / 1000} s`)),
      CALL_LIMIT_MS,
    );
  });
  return Promise.race([running.invoke(name), limit]).finally(() => clearTimeout(timer));
}

/** Fails the call when the tool answers with an error: a warm figure counts only good invokes. */
function okCall(running, name) {
  return async () => {
    const r = await invokeWithin(running, name);
    if (!r.ok) throw new Error(`${name} failed: ${r.errorType}: ${r.message}`);
  };
}

/**
 * For the memory soak: a failed or hung call is counted, not thrown, so a tool that loses a few
 * calls still gets its RSS figure, with the losses said next to it.
 */
function countingCall(running, name, failures) {
  return async () => {
    try {
      const r = await invokeWithin(running, name);
      if (!r.ok) failures.push(`${r.errorType}: ${r.message}`);
    } catch (e) {
      failures.push(String(e?.message ?? e));
    }
  };
}

function logRate(name, w) {
  console.log(
    `  ${name}: ${w.median.toFixed(0)}/s (${w.min.toFixed(0)}–${w.max.toFixed(0)}), p50 ${w.p50Ms.toFixed(3)} ms, p99 ${w.p99Ms.toFixed(3)} ms`,
  );
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
  const partial = (extra) =>
    process.send({
      partial: true,
      version: running.version,
      cold: spread(cold),
      bare: spread(bare),
      warm,
      ...extra,
    });
  for (const c of [1, 4]) {
    warm[`trivial.c${c}`] = await measureRate(okCall(running, 'trivial'), { concurrency: c, ...o.trivial });
    logRate(`trivial c${c}`, warm[`trivial.c${c}`]);
  }
  // The figures so far reach the parent even if a later phase is cut short by its deadline.
  partial({});
  // The soak follows the trivial windows at once, on the environments they warmed (the
  // 'idle' outcome is where a tool's behaviour after a pause shows).
  const rssBefore = treeRss(running.rssRoot);
  const t = process.hrtime.bigint();
  const failures = [];
  const invokes = await callTimes(countingCall(running, 'trivial', failures), o.soak, 4, o.soakMaxS);
  const soakS = elapsedMs(t) / 1000;
  const rss = {
    before: rssBefore,
    after: treeRss(running.rssRoot),
    invokes,
    seconds: soakS,
    cut: invokes < o.soak,
    failed: failures.length,
    firstFailure: failures[0],
  };
  partial({ rss });
  for (const c of [1, 4]) {
    warm[`cpu.c${c}`] = await measureRate(okCall(running, 'cpu'), { concurrency: c, ...o.cpu });
    logRate(`cpu c${c}`, warm[`cpu.c${c}`]);
  }
  return { cold: spread(cold), bare: spread(bare), warm, rss };
}

/** Four calls at once to the trivial function: 'ok', the error type, or the failure. */
function fourCalls(running) {
  return Promise.all(
    Array.from({ length: 4 }, () =>
      invokeWithin(running, 'trivial').then(
        (r) => (r.ok ? 'ok' : r.errorType),
        (e) => (String(e?.message).includes('no answer') ? 'hung' : 'failed'),
      ),
    ),
  );
}

/** Four warm environments, a pause, then four calls at once: does the tool still answer? */
async function idle(running, o) {
  await fourCalls(running);
  await fourCalls(running);
  await new Promise((resolve) => setTimeout(resolve, o.idleS * 1000));
  const t = process.hrtime.bigint();
  const results = await fourCalls(running);
  return { idle: { results, seconds: elapsedMs(t) / 1000, idleS: o.idleS } };
}

async function outcome(running, o) {
  if (o.case === 'idle') return idle(running, o);
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
