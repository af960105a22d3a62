// The peer tools the suite compares lambench with, installed by the suite itself at exact versions
// into a cache folder outside the project's dependencies (one folder per peer, each with its own
// package.json and lock), so `npm ci` of lambench never pulls them in and a fresh machine gets the
// same versions. Cache: $LAMBENCH_PEERS_DIR, else $XDG_CACHE_HOME/lambench/bench-peers, else
// ~/.cache/lambench/bench-peers.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Peers by id. Install scripts are skipped (`--ignore-scripts`): none of these needs one to work;
 * what they would run is only messages (serverless's postinstall banner, aws-sdk v2's maintenance
 * warning, es5-ext's notice), and skipping them keeps the install from running foreign code.
 */
export const PEERS = {
  'lambda-local': { packages: { 'lambda-local': '2.2.0' }, main: 'lambda-local' },
  fun: { packages: { '@vercel/fun': '1.3.6' }, main: '@vercel/fun' },
  'serverless-offline': {
    packages: { serverless: '3.40.0', 'serverless-offline': '13.10.1' },
    main: 'serverless-offline',
  },
};

/** The cache folder the peers are installed into. */
export function peersDir() {
  if (process.env.LAMBENCH_PEERS_DIR) return process.env.LAMBENCH_PEERS_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'lambench', 'bench-peers');
}

/** Folder of one peer's install: `<cache>/<id>` holding package.json and node_modules. */
export function peerDir(id) {
  return join(peersDir(), id);
}

/** True when every package of the peer is installed at its exact version. */
export function isInstalled(id) {
  const dir = peerDir(id);
  return Object.entries(PEERS[id].packages).every(([name, version]) => {
    const file = join(dir, 'node_modules', name, 'package.json');
    return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).version === version;
  });
}

/** Installs the peer unless it is already there; resolves to its folder, rejects with npm's reason. */
export async function ensureInstalled(id, log = () => {}) {
  const dir = peerDir(id);
  if (isInstalled(id)) return dir;
  mkdirSync(dir, { recursive: true });
  const packages = PEERS[id].packages;
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `lambench-bench-peer-${id}`, private: true, dependencies: packages }, null, 2)}\n`,
  );
  log(
    `installing ${Object.entries(packages)
      .map(([n, v]) => `${n}@${v}`)
      .join(' ')} into ${dir}`,
  );
  const started = Date.now();
  await new Promise((resolve, reject) => {
    execFile(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact', '--loglevel=error'],
      {
        cwd: dir,
        env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 10 * 60_000,
      },
      (error, _stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `npm install failed: ${String(stderr).trim().split('\n').slice(-3).join(' ') || error.message}`,
            ),
          );
        else resolve();
      },
    );
  });
  if (!isInstalled(id))
    throw new Error(
      `npm install finished but ${Object.keys(packages).join(', ')} is not at the pinned version`,
    );
  log(`installed ${id} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

/** `require` rooted in a peer's folder, so its own dependency tree is used. */
export function peerRequire(id) {
  return createRequire(join(peerDir(id), 'package.json'));
}
