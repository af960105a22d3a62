/**
 * Builds the first event of each source once, at load time, with the event generators themselves:
 * an unknown event type, option name, option value or template variable is then a load-time
 * error at the source's line rather than a failure once the run is under way. Pure and seeded.
 */
import { InputError } from '../core/errors.js';
import { createEventFaker, generate, renderDeep } from '../events/index.js';
import type { Reporter } from './reporter.js';
import type { ScenarioSource } from './types.js';

export function checkFirstEvent(source: ScenarioSource, seed: number, reporter: Reporter): void {
  const vars = source.payload?.rows[0] ?? {};
  const at = ['sources', source.name, source.kind];
  try {
    if (source.kind === 'invoke') {
      renderDeep(source.invokePayload, { faker: createEventFaker(), index: 0, now: 0, vars });
    } else {
      // Every type of a list, so a misspelt second type fails at load time too.
      for (const [index, type] of (source.eventTypes ?? [source.eventType]).entries()) {
        generate(source.kind, type, source.options, { seed, index, vars });
      }
    }
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // An unknown option is pointed at its key; other problems at the source's event key.
    const option = err.code === 'UNKNOWN_OPTION' ? /option "([^"]+)"/.exec(err.message)?.[1] : undefined;
    if (option !== undefined) reporter.fail([...at, option], err.message, { code: err.code, key: true });
    else reporter.fail(at, err.message, { code: err.code });
  }
}
