// Runs one benchmark by name: `node bench/run.mjs emulator` loads bench/emulator.mjs and calls its
// run(args). Each benchmark is its own file, so new ones are added without touching this one.
// `npm run bench -- <name>` builds first (the benchmarks import the compiled code in dist/).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.slice(0, -'.mjs'.length));
const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\nbenchmarks: ${available.join(', ')}`);
  process.exit(name ? 2 : 0);
}
const file = join(here, `${name}.mjs`);
if (!existsSync(file)) process.exit(2);
// A benchmark either runs when imported or exports run(args).
const mod = await import(pathToFileURL(file).href);
if (typeof mod.run === 'function') await mod.run(args);
