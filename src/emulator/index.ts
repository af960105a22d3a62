/**
 * The local Lambda emulator. `createEmulator()` starts one; it implements the in-process LambdaApi
 * (src/emulator/types.ts). `validateFunctionInput()` checks a function definition without starting
 * anything.
 */
import { Emulator } from './emulator.js';
import type { EmulatorOptions } from './types.js';

export { Emulator, MAX_ASYNC_PAYLOAD, MAX_SYNC_PAYLOAD } from './emulator.js';
export { cpuShare } from './limits/cpu-share.js';
export { KNOWN_RUNTIMES } from './runtimes.js';
export * from './types.js';
export { MEMORY_RANGE, TIMEOUT_RANGE, validateFunctionInput } from './validate.js';

/** Starts an emulator; throws InputError when a forced cpuLimiter is not available here. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return new Emulator(options);
}
