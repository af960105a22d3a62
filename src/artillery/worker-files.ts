/**
 * The files a distributed Artillery worker needs to load a lambench scenario, as
 * `config.includeFiles` entries relative to the written script: `artillery run-fargate|run-lambda`
 * ship the script plus those files (folders are expanded) keeping their relative layout, and each
 * worker loads the scenario from its own copy. Reads the file system (folders, processor imports).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Scenario } from '../scenario/types.js';

/** Never shipped from inside a code folder: version control and the run's own output. */
const NEVER = new Set(['.git']);

/** Handler file extensions the scenario loader looks for (runtime inference needs the file). */
const HANDLER_EXTENSIONS = ['.mjs', '.js', '.cjs', '.py'];

/** Absolute paths (files or folders) the scenario reads when a worker loads and runs it. */
export function scenarioInputs(scenario: Scenario, outputDir: string): string[] {
  const out = new Set<string>([scenario.file]);
  if (scenario.template !== undefined) out.add(scenario.template);
  for (const fn of Object.values(scenario.functions)) {
    if (scenario.target === 'local') {
      for (const p of codeFolder(fn.codeDir, outputDir)) out.add(p);
    } else {
      // On AWS the code is deployed already; the loader still infers the runtime from the file.
      const module = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
      for (const ext of HANDLER_EXTENSIONS) {
        const file = join(fn.codeDir, module.replaceAll('.', '/') + ext);
        if (existsSync(file)) out.add(file);
        const plain = join(fn.codeDir, module + ext);
        if (existsSync(plain)) out.add(plain);
      }
    }
  }
  for (const source of Object.values(scenario.sources)) {
    if (source.payload !== undefined) out.add(source.payload.path);
    if (source.processor !== undefined) for (const f of moduleGraph(source.processor)) out.add(f);
  }
  return [...out];
}

/** `config.includeFiles`: each input relative to the script's folder, with forward slashes. */
export function includeFiles(inputs: readonly string[], scriptDir: string): string[] {
  return inputs.map((p) => relativeFrom(scriptDir, p)).sort();
}

/** `target` as written in a script in `scriptDir`: relative, forward slashes, `./` when local. */
export function relativeFrom(scriptDir: string, target: string): string {
  const rel = relative(scriptDir, target).split(sep).join('/');
  if (rel === '') return '.';
  return rel.startsWith('.') || isAbsolute(rel) ? rel : `./${rel}`;
}

/**
 * A function's code folder; when it holds the run's output folder (a handler at the project root),
 * its entries except the one leading to the output, so a bundle never contains the run itself.
 */
function codeFolder(codeDir: string, outputDir: string): string[] {
  const inside = relative(codeDir, resolve(outputDir));
  if (inside.startsWith('..') || isAbsolute(inside)) return [codeDir];
  const towardOutput = inside.split(sep)[0];
  return readdirSync(codeDir)
    .filter((name) => name !== towardOutput && !NEVER.has(name))
    .map((name) => join(codeDir, name));
}

/** A processor module and the local modules it imports, followed transitively. */
function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const spec of localSpecifiers(text)) {
      const target = resolveLocal(dirname(file), spec);
      if (target !== undefined && !seen.has(target)) pending.push(target);
    }
  }
  return [...seen];
}

/** `./x` and `../x` specifiers of static imports, dynamic imports and require calls. */
function localSpecifiers(text: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) if (m[1]) out.push(m[1]);
  return out;
}

/** The file a local specifier names (as written, or with a module extension, or a folder index). */
function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(from, spec);
  const candidates = [
    base,
    ...['.mjs', '.js', '.cjs', '.json'].map((ext) => base + ext),
    ...['index.mjs', 'index.js', 'index.cjs'].map((name) => join(base, name)),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}
