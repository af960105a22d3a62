// The functions every tool runs, from bench/functions/peers (CommonJS, so every tool can load them).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FUNCTIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'functions', 'peers');

/**
 * The function set: the trivial and CPU handlers, the three failure cases, and `cold` fresh copies
 * of the trivial one (each first invoke is a cold start). Timeouts are AWS's default 3 s, 1 s for
 * the timeout case, 10 s for the out-of-memory case so that memory, not time, decides it.
 */
export function functionSet(cold) {
  return [
    { name: 'trivial', file: 'trivial', memoryMB: 1769, timeoutS: 3 },
    { name: 'cpu', file: 'cpu', memoryMB: 1769, timeoutS: 3 },
    { name: 'timeout', file: 'timeout', memoryMB: 1769, timeoutS: 1 },
    { name: 'crash', file: 'crash', memoryMB: 1769, timeoutS: 3 },
    { name: 'oom', file: 'oom', memoryMB: 128, timeoutS: 10 },
    ...Array.from({ length: cold }, (_, i) => ({
      name: `cold${i}`,
      file: 'trivial',
      memoryMB: 1769,
      timeoutS: 3,
    })),
  ];
}

/** The runtime name lambench's emulator takes for the Node it runs on. */
export function nodeRuntime() {
  const major = Number(process.versions.node.split('.')[0]);
  return `nodejs${[20, 22, 24].filter((v) => v <= major).at(-1) ?? 20}.x`;
}

/** An error payload's errorType and message, whatever shape the tool sends. */
export function errorOf(body) {
  try {
    const e = JSON.parse(body);
    return {
      errorType: e.errorType ?? e.name ?? 'Error',
      // fun prefixes its messages with the request id: not part of what happened.
      message: String(e.errorMessage ?? e.message ?? body).replace(/^RequestId: \S+\s*/, ''),
    };
  } catch {
    return { errorType: 'Error', message: String(body) };
  }
}
