/** The InputError `fn` throws; any other error is rethrown, and no error at all fails the test. */
import { InputError } from '../../src/core/errors.js';

export function caughtInputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}
