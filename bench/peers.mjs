// lambench beside the local emulators users would pick instead, measured in the same run:
// @vercel/fun 1.3.6, lambda-local 2.2.0 and serverless-offline 13.10.1 (serverless 3.40.0),
// installed by the suite at those exact versions into a cache outside the project's dependencies
// (bench/peers/install.mjs), and lambench through its in-process API and through `lambench serve`.
// For each: cold start of a trivial handler (with a bare node start at the same moments), warm
// invokes/s at concurrency 1 and 4 for the trivial and a ~20 ms CPU handler, RSS growth of the
// tool's processes over a soak of invokes, and what it does with a timeout, a crash and an
// out-of-memory handler. Each tool and each failure case runs in a process of its own.
// Run: npm run bench -- peers [--tools lambench-local,lambench-serve,fun,lambda-local,serverless-offline]
//        [--cold 7] [--seconds 2] [--runs 3] [--warmup 3000] [--soak 100000] [--soak-seconds 180]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option, row, textRow } from './lib/rows.mjs';
import { ensureInstalled, PEERS, peerDir, peersDir } from './peers/install.mjs';

export const about = 'lambench beside @vercel/fun, lambda-local and serverless-offline, same run';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'peers', 'driver.mjs');
const ALL = ['lambench-local', 'lambench-serve', 'fun', 'lambda-local', 'serverless-offline'];
/** Smoke runs lambench both ways and the one small peer (installed if missing, a few seconds). */
const SMOKE = ['lambench-local', 'lambench-serve', 'lambda-local'];
const CASES = ['timeout', 'crash', 'oom', 'idle'];
const LABEL = {
  'lambench-local': 'lambench in-process',
  'lambench-serve': 'lambench serve + SDK',
  fun: '@vercel/fun',
  'lambda-local': 'lambda-local',
  'serverless-offline': 'serverless-offline + SDK',
};

/** Drivers running now, by pid: each leads its own process group (see inDriver). */
const live = new Set();
/** Kills a driver's whole process group: the tool's host, its environments, its server. */
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const pid of live) killGroup(pid);
    process.exit(130);
  });
}

/**
 * Runs one task of one tool in a forked driver; resolves with its answer, { deadline } or { exit }.
 * The driver leads a process group of its own, so whatever the tool started (environments, a
 * server, frozen pool processes) is killed with it even when the driver itself dies or hangs.
 */
function inDriver(tool, task, options, deadlineMs) {
  return new Promise((resolve) => {
    const env = { ...process.env, LAMBENCH_PEERS_DIR: peersDir() };
    // fun copies its runtime into the XDG cache: keep it inside the peers' cache.
    if (tool === 'fun') env.XDG_CACHE_HOME = join(peerDir('fun'), 'xdg-cache');
    const work = mkdtempSync(join(tmpdir(), `lambench-peer-${tool}-`));
    const child = fork(DRIVER, [], { env, detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    live.add(child.pid);
    let answer;
    let partial;
    let timer;
    const settle = (value) => {
      answer ??= value;
    };
    child.on('message', (m) => {
      if (m.partial) partial = m;
      else settle(m);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      settle({ exit: signal ?? code });
      killGroup(child.pid);
      live.delete(child.pid);
      rmSync(work, { recursive: true, force: true });
      resolve(partial && !answer.ok ? { ...answer, partial } : answer);
    });
    timer = setTimeout(() => {
      settle({ deadline: true });
      // Ask the driver to close the tool, then make sure.
      child.kill('SIGTERM');
      setTimeout(() => killGroup(child.pid), 10_000).unref();
    }, deadlineMs);
    child.send({ tool, task, options, work });
  });
}

const mb = (b) => (b / 2 ** 20).toFixed(0);
const rate = (w) => `p50 ${w.p50Ms.toFixed(3)} ms, p99 ${w.p99Ms.toFixed(3)} ms`;

function measureRows(tool, m) {
  const rows = [textRow(`peers.${tool}.version`, `${LABEL[tool]}: version`, m.version)];
  const ratio = m.cold.median / m.bare.median;
  rows.push(
    row(
      `peers.${tool}.cold`,
      `${LABEL[tool]}: cold start`,
      m.cold,
      'ms',
      `bare node ${m.bare.median.toFixed(1)} ms at the same moments`,
    ),
    row(`peers.${tool}.cold-ratio`, `${LABEL[tool]}: cold / bare node start`, ratio, '×'),
  );
  for (const [key, w] of Object.entries(m.warm)) {
    const [handler, c] = key.split('.');
    const what = handler === 'cpu' ? '20 ms CPU' : 'trivial';
    rows.push(row(`peers.${tool}.${key}`, `${LABEL[tool]}: ${what} ${c}`, w, '/s', rate(w)));
  }
  if (!m.rss) return rows;
  if (m.rss.failed > m.rss.invokes / 100) {
    rows.push(
      textRow(
        `peers.${tool}.rss-growth`,
        `${LABEL[tool]}: RSS growth over the soak`,
        `not measured: ${m.rss.failed.toLocaleString('en')} of ${m.rss.invokes.toLocaleString('en')} calls failed or hung (first: ${m.rss.firstFailure.slice(0, 60)})`,
      ),
    );
    return rows;
  }
  const growth = ((m.rss.after - m.rss.before) / m.rss.before) * 100;
  const cut = m.rss.cut ? ` (stopped at the ${m.rss.seconds.toFixed(0)} s budget)` : '';
  const lost = m.rss.failed
    ? `; ${m.rss.failed.toLocaleString('en')} calls failed or hung, first: ${m.rss.firstFailure.slice(0, 80)}`
    : '';
  rows.push(
    row(
      `peers.${tool}.rss-growth`,
      `${LABEL[tool]}: RSS growth over ${m.rss.invokes.toLocaleString('en')} invokes`,
      growth,
      '%',
      `${mb(m.rss.before)} → ${mb(m.rss.after)} MB, ${m.rss.seconds.toFixed(0)} s${cut}${lost}`,
    ),
  );
  return rows;
}

/** The `body` of a handler's `{ statusCode, body }` answer, else the answer as sent. */
function bodyOf(payload) {
  try {
    return String(JSON.parse(payload).body ?? payload);
  } catch {
    return payload;
  }
}

function outcomeText(r, deadlineS) {
  if (r.deadline) return `no answer in ${deadlineS} s (stopped)`;
  if (r.exit !== undefined) return `the tool's host process died (exit ${r.exit}), no answer`;
  if (!r.ok) return `benchmark error: ${r.error.split('\n')[0]}`;
  if (r.idle) {
    const { results, seconds } = r.idle;
    const ok = results.filter((x) => x === 'ok').length;
    const others = results.filter((x) => x !== 'ok');
    if (others.length === 0) return `4 of 4 answered OK in ${seconds.toFixed(1)} s`;
    const tally = [...new Set(others)].map((x) => `${others.filter((y) => y === x).length} ${x}`);
    const hung = others.includes('hung') ? ' (no answer in 30 s)' : '';
    return `${ok} of 4 answered OK; ${tally.join(', ')}${hung}`;
  }
  const s = `${r.seconds.toFixed(1)} s`;
  const a = r.answer;
  let what;
  if (a.ok) what = `answered OK after ${s} (${bodyOf(a.body).slice(0, 40)})`;
  else if (a.thrown) what = `call failed after ${s}: ${a.errorType}`;
  else {
    const message = a.message.replace(/\s+/g, ' ').slice(0, 48);
    what = `error ${a.errorType} after ${s}${a.errorType === 'Error' ? ` ("${message}")` : ''}`;
  }
  return `${what}; next call ${r.after}`;
}

export async function run(args, { smoke }) {
  const tools = option(args, 'tools', (smoke ? SMOKE : ALL).join(',')).split(',');
  const unknown = tools.filter((t) => !ALL.includes(t));
  if (unknown.length > 0) throw new Error(`unknown tool ${unknown.join(', ')}; tools: ${ALL.join(', ')}`);
  const options = smoke
    ? {
        cold: 1,
        trivial: { seconds: 0.1, runs: 1, warmup: 20 },
        cpu: { seconds: 0.1, runs: 1, warmup: 2 },
        soak: 300,
        soakMaxS: 10,
      }
    : {
        cold: option(args, 'cold', 7),
        trivial: {
          seconds: option(args, 'seconds', 2),
          runs: option(args, 'runs', 3),
          warmup: option(args, 'warmup', 3000),
        },
        cpu: { seconds: option(args, 'seconds', 2), runs: option(args, 'runs', 3), warmup: 20 },
        soak: option(args, 'soak', 100_000),
        // A slow tool's soak is cut here (the row says so), so the suite stays near 15 minutes.
        soakMaxS: option(args, 'soak-seconds', 180),
      };
  const caseDeadlineS = 90;
  const idleS = smoke ? 1 : 10;
  const rows = [];
  const outcomes = [];
  console.log(`peers cache: ${peersDir()}`);
  for (const tool of tools) {
    console.log(`\n${LABEL[tool]}`);
    if (PEERS[tool]) {
      try {
        await ensureInstalled(tool, (line) => console.log(`  ${line}`));
      } catch (e) {
        rows.push(textRow(`peers.${tool}.status`, `${LABEL[tool]}: status`, `not measured: ${e.message}`));
        continue;
      }
    }
    const m = await inDriver(tool, 'measure', options, (smoke ? 3 : 15) * 60_000);
    if (m.ok) rows.push(...measureRows(tool, m));
    else if (m.partial) {
      // Cold and warm figures arrived; the soak did not finish.
      console.log('  RSS soak did not finish in time');
      rows.push(...measureRows(tool, m.partial));
      rows.push(textRow(`peers.${tool}.status`, `${LABEL[tool]}: status`, 'RSS soak did not finish in time'));
    } else {
      const why = m.deadline
        ? 'did not finish in time'
        : m.exit !== undefined
          ? `driver died (exit ${m.exit})`
          : m.error;
      console.log(`  not measured: ${why}`);
      rows.push(
        textRow(`peers.${tool}.status`, `${LABEL[tool]}: status`, `not measured: ${why.split('\n')[0]}`),
      );
    }
    const line = [LABEL[tool]];
    for (const c of CASES) {
      const r = await inDriver(tool, 'outcome', { case: c, idleS }, caseDeadlineS * 1000);
      const text = outcomeText(r, caseDeadlineS);
      console.log(`  ${c}: ${text}`);
      rows.push(textRow(`peers.${tool}.outcome.${c}`, `${LABEL[tool]}: ${c}`, text));
      line.push(text);
    }
    outcomes.push(line);
  }
  console.log(
    '\noutcomes (timeout: sleeps 5 s, timeout 1 s; crash: process.exit(1); oom: keeps 640 MB at 128 MB; idle: 4 calls at once after a pause)',
  );
  for (const l of outcomes)
    console.log(`  ${l[0]}\n    ${CASES.map((c, i) => `${c}: ${l[i + 1]}`).join('\n    ')}`);
  return rows;
}
