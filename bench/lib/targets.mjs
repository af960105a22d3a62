// The suite's targets, as ratios to references measured in the same run so they hold on any
// machine. Each reads rows by key; a target whose rows are missing says which part did not run.

/** Peers that isolate functions in processes or threads (the fair comparison for warm rate). */
export const ISOLATING_PEERS = ['fun', 'serverless-offline'];

const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export const TARGETS = [
  {
    label: 'aws target signed Invoke ≥ 5,000 calls/s per harness core (client CPU)',
    compute(get) {
      const r = get('aws-invoke.signed.per-core');
      if (!r) return { missing: 'aws-invoke' };
      return { figure: `${fmt(r.value, 0)} /s`, ratio: r.value / 5000, met: r.value >= 5000 };
    },
  },
  {
    label: 'warm in-process c4 ≥ 2× the fastest isolating peer c4',
    compute(get) {
      const ours = get('peers.lambench-local.trivial.c4');
      const peers = ISOLATING_PEERS.map((p) => [p, get(`peers.${p}.trivial.c4`)]).filter(([, r]) => r);
      if (!ours || peers.length === 0) return { missing: 'peers (lambench and fun or serverless-offline)' };
      const [best, r] = peers.reduce((a, b) => (b[1].value > a[1].value ? b : a));
      const ratio = ours.value / r.value;
      return { figure: `${fmt(ours.value, 0)} / ${fmt(r.value, 0)} (${best})`, ratio, met: ratio >= 2 };
    },
  },
  {
    label: 'warm in-process c4 ≥ 0.3× raw keep-alive HTTP c4',
    compute(get) {
      const ours = get('peers.lambench-local.trivial.c4');
      const raw = get('limits.http.c4');
      if (!ours || !raw) return { missing: 'peers and limits' };
      const ratio = ours.value / raw.value;
      return { figure: `${fmt(ours.value, 0)} / ${fmt(raw.value, 0)}`, ratio, met: ratio >= 0.3 };
    },
  },
  {
    label: 'cold start ≤ 1.2× bare node start of the handler',
    // The bare starts are interleaved with the cold starts in the peers part, so both see the same
    // machine; limits.node-start is the same floor measured on its own.
    compute(get) {
      const ours = get('peers.lambench-local.cold');
      const ratio = get('peers.lambench-local.cold-ratio');
      if (!ours || !ratio) return { missing: 'peers' };
      return {
        figure: `${fmt(ours.value, 1)} ms / ${fmt(ours.value / ratio.value, 1)} ms`,
        ratio: ratio.value,
        met: ratio.value <= 1.2,
      };
    },
  },
  {
    label: 'harness overhead p50 < 0.5 ms at half the sustained max rate',
    compute(get) {
      const r = get('harness.overhead.p50');
      if (!r) return { missing: 'harness' };
      return { figure: `${fmt(r.value, 3)} ms`, ratio: r.value / 0.5, met: r.value < 0.5 };
    },
  },
  {
    label: 'harness overhead p99 < 2 ms at half the sustained max rate',
    compute(get) {
      const r = get('harness.overhead.p99');
      if (!r) return { missing: 'harness' };
      return { figure: `${fmt(r.value, 3)} ms`, ratio: r.value / 2, met: r.value < 2 };
    },
  },
  {
    label: 'harness sustains ≥ 3,000 arrivals/s into a no-op (loop p99 < 10 ms, nothing > 10 ms late)',
    compute(get) {
      const r = get('harness.sustained-rate');
      if (!r) return { missing: 'harness' };
      return { figure: `${fmt(r.value, 0)}/s`, ratio: r.value / 3000, met: r.value >= 3000 };
    },
  },
  {
    label: 'a cold start stalls the harness loop ≤ 2× an idle window (spawner)',
    compute(get) {
      const spawner = get('spawn.stall.spawner');
      const idle = get('spawn.stall.idle');
      if (!spawner || !idle) return { missing: 'spawn' };
      const ratio = spawner.value / Math.max(idle.value, 0.001);
      return { figure: `${fmt(spawner.value, 2)} ms / ${fmt(idle.value, 2)} ms`, ratio, met: ratio <= 2 };
    },
  },
  {
    label: 'harness RSS growth 100k → 1M invocations < 10%',
    compute(get) {
      const r = get('harness.rss-growth');
      if (!r) return { missing: 'harness' };
      return { figure: `${fmt(r.value, 1)}%`, ratio: r.value / 10, met: r.value < 10 };
    },
  },
  {
    label: 'lambench harness CPU per invocation ≤ ⅓ of Artillery with the lambench engine (at 400/s)',
    compute(get) {
      const ours = get('engines.lambench.cpu-per-invocation.400');
      const artillery = get('engines.artillery.cpu-per-invocation.400');
      if (!ours || !artillery) return { missing: 'engines' };
      const ratio = ours.value / artillery.value;
      return {
        figure: `${fmt(ours.value, 0)} µs / ${fmt(artillery.value, 0)} µs`,
        ratio,
        met: ratio <= 1 / 3,
      };
    },
  },
];

/** Every target checked against the rows of one run. */
export function checkTargets(rows) {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const get = (key) => {
    const r = byKey.get(key);
    return r && typeof r.value === 'number' && Number.isFinite(r.value) ? r : undefined;
  };
  return TARGETS.map((t) => ({ label: t.label, ...t.compute(get) }));
}

/** The cells of one checked target: target, figures, ratio, verdict. */
export function targetCells(t) {
  if (t.missing) return [t.label, '—', '—', `not measured (needs ${t.missing})`];
  return [t.label, t.figure, fmt(t.ratio), t.met ? 'met' : 'MISSED'];
}
