/**
 * Checks every `{{ }}` template in a scenario value up front, so a typo in a faker name is a
 * load-time error at its line, not a failure halfway through a run.
 */
import { InputError } from '../core/errors.js';
import { compileTemplate } from '../events/template.js';
import type { Reporter } from './reporter.js';
import type { PathSegment } from './yaml-document.js';

/** Compiles each string under `value` that looks like a template; reports problems at their path. */
export function checkTemplates(value: unknown, path: PathSegment[], reporter: Reporter): void {
  if (typeof value === 'string') {
    if (!value.includes('{{') && !value.includes('}}')) return;
    try {
      compileTemplate(value);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      reporter.fail(path, `bad template: ${err.message}`, { code: 'SCENARIO_TEMPLATE' });
    }
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkTemplates(item, [...path, i], reporter);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkTemplates(item, [...path, key], reporter);
  }
}
