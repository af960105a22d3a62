/**
 * Loads the function's handler the way Lambda's Node runtime does: `dir/sub/file.export[.nested]`
 * relative to LAMBDA_TASK_ROOT; `file.js`, `.mjs` or `.cjs` (in that order); ESM for .mjs and for .js
 * under a package.json with "type": "module", CommonJS otherwise. Failures become Lambda's init
 * errors: Runtime.ImportModuleError, Runtime.UserCodeSyntaxError, Runtime.HandlerNotFound.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InitError } from './errors.js';

export type Handler = (
  event: unknown,
  context: object,
  callback?: (err?: unknown, result?: unknown) => void,
) => unknown;

export async function loadHandler(taskRoot: string, handlerString: string): Promise<Handler> {
  const slash = handlerString.lastIndexOf('/');
  const dot = handlerString.indexOf('.', slash + 1);
  if (dot < 0) throw new InitError('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`);
  const modulePath = handlerString.slice(0, dot);
  const exportPath = handlerString.slice(dot + 1);
  const mod = await importModule(taskRoot, modulePath);
  let value: unknown = mod;
  for (const key of exportPath.split('.')) {
    value =
      value !== null && (typeof value === 'object' || typeof value === 'function')
        ? Reflect.get(value, key)
        : undefined;
  }
  if (typeof value !== 'function') {
    throw new InitError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  }
  return value as Handler;
}

async function importModule(taskRoot: string, modulePath: string): Promise<unknown> {
  const base = join(taskRoot, modulePath);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((f) => existsSync(f));
  try {
    if (!file) {
      // Lambda falls back to Node's resolution (a package in node_modules) before giving up.
      return createRequire(join(taskRoot, 'index.js'))(modulePath);
    }
    if (isEsm(file)) return await import(pathToFileURL(file).href);
    return createRequire(file)(file);
  } catch (err) {
    throw classify(err, modulePath);
  }
}

function classify(err: unknown, modulePath: string): InitError | unknown {
  if (!(err instanceof Error)) return err;
  if (err.name === 'SyntaxError') {
    return new InitError('Runtime.UserCodeSyntaxError', `SyntaxError: ${err.message}`, err);
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    const message = err.message.includes(`'${modulePath}'`)
      ? `Error: Cannot find module '${parse(modulePath).base}'\nRequire stack:\n- ${process.argv[1] ?? 'bootstrap'}`
      : `Error: ${err.message}`;
    return new InitError('Runtime.ImportModuleError', message, err);
  }
  return err;
}

/** .mjs is ESM, .cjs is CommonJS, .js follows the nearest package.json "type" (as Node decides). */
function isEsm(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dir === dirname(dir)) return false;
  }
}
