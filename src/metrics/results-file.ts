/**
 * Writing and reading results.json. Reading validates against the schema and turns any problem
 * into one line naming the file and the field.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { InputError, LambenchError } from '../core/errors.js';
import { RESULTS_SCHEMA_VERSION, type Results, ResultsSchema } from './results-schema.js';

export const RESULTS_FILE_NAME = 'results.json';

/** Writes `<dir>/results.json` (the directory exists: the caller made it); returns the path. */
export async function writeResults(dir: string, results: Results): Promise<string> {
  const checked = ResultsSchema.safeParse(results);
  if (!checked.success) {
    // Our own bug, not the user's: exit 3, but still one readable line.
    throw new LambenchError(
      'RESULTS_INVALID',
      `results do not match schema v1: ${firstIssue(checked.error)}`,
    );
  }
  const path = join(dir, RESULTS_FILE_NAME);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(results, null, 2)}\n`);
  await rename(temporary, path); // a reader never sees half a file
  return path;
}

/** Reads and validates a results file; any problem is an InputError naming file and field. */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(cause)})`;
    throw new InputError('RESULTS_UNREADABLE', `${why}; expected a results.json written by lambench run`, {
      position: { file: path },
      cause,
    });
  }
  return parseResults(text, path);
}

/** Validates results JSON text; `file` names it in errors. */
export function parseResults(text: string, file: string): Results {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new InputError('RESULTS_NOT_JSON', `not valid JSON (${(cause as Error).message})`, {
      position: { file },
      cause,
    });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RESULTS_SCHEMA_VERSION) {
    throw new InputError(
      'RESULTS_VERSION',
      `expected ${RESULTS_SCHEMA_VERSION}, found ${JSON.stringify(version) ?? 'nothing'}: not a results file this lambench reads`,
      { position: { file, field: 'schemaVersion' } },
    );
  }
  const parsed = ResultsSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError('RESULTS_INVALID', issue?.message ?? 'does not match the results schema', {
      position: { file, field: issue ? fieldPath(issue.path) : '' },
    });
  }
  return parsed.data;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${fieldPath(issue.path)}: ${issue.message}` : error.message;
}

/** ['points', 0, 'series'] → "points[0].series". */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
