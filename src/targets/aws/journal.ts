/**
 * The restore journal: a file that says what lambench is about to change in an account, written
 * before each change, so the original configuration can be put back at the end of the run, on
 * Ctrl-C, or after a crash (`lambench restore <journal>`). It holds names, versions and settings —
 * never credentials. Every write replaces the file atomically (write, then rename), so a process
 * killed mid-write leaves the previous complete journal behind.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InputError } from '../../core/errors.js';

/** The parts of $LATEST's configuration lambench may change, as they were before the run. */
export interface OriginalConfiguration {
  memorySize: number;
  timeout: number;
  /** The variables before the run; null when the function had none. */
  environment: Record<string, string> | null;
}

export interface FunctionJournal {
  /** Set before the first UpdateFunctionConfiguration of $LATEST. */
  original?: OriginalConfiguration;
  /** Versions lambench published (each Description also names the run, for versions a crash left unrecorded). */
  createdVersions: string[];
  /** Aliases lambench creates; recorded before CreateAlias. */
  createdAliases: string[];
  /** Aliases that existed and that lambench moved: where they pointed before. */
  movedAliases: Record<
    string,
    { functionVersion: string; additionalVersionWeights?: Record<string, number> }
  >;
  /**
   * Aliases lambench put provisioned concurrency on, recorded before the put: the count the alias
   * had before (null: none, so restore deletes the config).
   */
  provisioned?: Record<string, number | null>;
}

export interface RestoreJournal {
  kind: 'lambench-restore-journal';
  version: 1;
  /** Marks the versions this run published (their Description starts with `lambench <runId>`). */
  runId: string;
  createdAt: string;
  region: string;
  endpoint?: string;
  profile?: string;
  /** Keyed by the function's name or ARN as the Lambda API is called with it. */
  functions: Record<string, FunctionJournal>;
  restoredAt?: string;
}

/** A journal held in memory and written to `path` on every change. */
export class JournalFile {
  readonly path: string;
  readonly data: RestoreJournal;

  constructor(path: string, data: RestoreJournal) {
    this.path = path;
    this.data = data;
  }

  /** The entry of one function, created empty on first use. */
  fn(name: string): FunctionJournal {
    let entry = this.data.functions[name];
    if (entry === undefined) {
      entry = { createdVersions: [], createdAliases: [], movedAliases: {} };
      this.data.functions[name] = entry;
    }
    return entry;
  }

  /** Writes the journal synchronously: the change it announces must not start before it is on disk. */
  save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

/** Reads and checks a journal file; a missing or malformed file is an InputError (exit 2). */
export async function readJournal(path: string): Promise<JournalFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError('JOURNAL', `${path}: cannot read the restore journal (${(error as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new InputError('JOURNAL', `${path}: not a lambench restore journal (expected JSON)`);
  }
  const d = doc as Partial<RestoreJournal>;
  if (d?.kind !== 'lambench-restore-journal' || d.version !== 1 || typeof d.runId !== 'string') {
    throw new InputError(
      'JOURNAL',
      `${path}: not a lambench restore journal (expected kind: lambench-restore-journal, version: 1)`,
    );
  }
  if (typeof d.region !== 'string' || d.functions === null || typeof d.functions !== 'object') {
    throw new InputError('JOURNAL', `${path}: field region or functions is missing or of the wrong type`);
  }
  for (const [name, entry] of Object.entries(d.functions)) {
    if (!Array.isArray(entry?.createdVersions) || !Array.isArray(entry.createdAliases)) {
      throw new InputError(
        'JOURNAL',
        `${path}: functions.${name}: expected createdVersions and createdAliases lists`,
      );
    }
    entry.movedAliases ??= {};
  }
  return new JournalFile(path, d as RestoreJournal);
}
