/**
 * CSV payload files (Artillery's config.payload idea): the header row names the template
 * variables, every data row is one set of values. Rows are read once, at load time.
 */
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../core/errors.js';
import type { Reporter } from './reporter.js';
import type { CsvPayload } from './types.js';
import type { PathSegment } from './yaml-document.js';
import { readText } from './yaml-document.js';

export interface PayloadSpec {
  path: string;
  order?: 'sequence' | 'random' | undefined;
  delimiter?: string | undefined;
}

/** Reads and parses the CSV; problems are reported at `at` (the payload key) and give undefined. */
export function loadCsvPayload(
  spec: PayloadSpec,
  baseDir: string,
  at: PathSegment[],
  reporter: Reporter,
): CsvPayload | undefined {
  const file = path.resolve(baseDir, spec.path);
  // CSV problems name the file as the user would find it: next to the scenario file as given.
  const shown = path.join(path.dirname(reporter.file), spec.path);
  const delimiter = spec.delimiter ?? ',';
  let text: string;
  try {
    text = readText(file, 'payload file', reporter.at([...at, 'path']));
  } catch (err) {
    if (err instanceof InputError) reporter.fail([...at, 'path'], `payload file ${spec.path}: no such file`);
    return undefined;
  }
  let records: string[][];
  try {
    records = parse(text, { delimiter, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    reporter.add(new InputError('SCENARIO_PAYLOAD', `bad CSV: ${message}`, { position: { file: shown } }));
    return undefined;
  }
  const [header, ...data] = records;
  if (!header || data.length === 0) {
    reporter.fail([...at, 'path'], `payload file ${spec.path} needs a header row and at least one data row`);
    return undefined;
  }
  const columns = header.map((c) => c.trim());
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined || columns.some((c) => c === '')) {
    const what = duplicate !== undefined ? `column "${duplicate}" appears twice` : 'a column has no name';
    reporter.add(
      new InputError('SCENARIO_PAYLOAD', `bad CSV header: ${what}`, { position: { file: shown, line: 1 } }),
    );
    return undefined;
  }
  const rows = data.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? ''])));
  return { path: file, order: spec.order ?? 'sequence', delimiter, columns, rows };
}
