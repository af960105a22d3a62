/**
 * Collects every problem found while resolving a scenario, so the user sees them all at once,
 * each at the position of the node it concerns (or naming the `--set` argument that put it there).
 */
import { InputError, InputErrors, type SourcePosition } from '../core/errors.js';
import { type ParsedYaml, type PathSegment, positionOf } from './yaml-document.js';

/** A `--set` override that was applied: its path, and the argument as the user typed it. */
export interface AppliedOverride {
  path: PathSegment[];
  arg: string;
}

export class Reporter {
  readonly errors: InputError[] = [];
  readonly parsed: ParsedYaml;
  readonly #overrides: readonly AppliedOverride[];

  constructor(parsed: ParsedYaml, overrides: readonly AppliedOverride[] = []) {
    this.parsed = parsed;
    this.#overrides = overrides;
  }

  get file(): string {
    return this.parsed.file;
  }

  /** Position of the node at `path` (its key when `key` is set). */
  at(path: readonly PathSegment[], key = false): SourcePosition {
    return positionOf(this.parsed, path, key);
  }

  /** Records a problem at `path`; a value that came from `--set` names that argument. */
  fail(path: readonly PathSegment[], message: string, opts: { key?: boolean; code?: string } = {}): void {
    this.errors.push(
      new InputError(opts.code ?? 'SCENARIO_INVALID', this.withOrigin(path, message), {
        position: this.at(path, opts.key),
      }),
    );
  }

  /** Records a problem that already carries its own position (e.g. in a SAM template or CSV file). */
  add(error: InputError): void {
    this.errors.push(error);
  }

  withOrigin(path: readonly PathSegment[], message: string): string {
    const from = this.#overrides.find((o) => isPrefix(o.path, path));
    return from ? `${message} (set by --set ${from.arg})` : message;
  }

  /** Throws everything recorded so far as one InputErrors (exit code 2). */
  throwIfAny(): void {
    if (this.errors.length > 0) throw new InputErrors(this.errors);
  }
}

function isPrefix(prefix: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => String(seg) === String(path[i]));
}
