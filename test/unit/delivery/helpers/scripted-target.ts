import type { Clock } from '../../../../src/core/clock.js';
import type { InvocationResult, InvokeRequest, Target } from '../../../../src/targets/types.js';

export type Step =
  | InvocationResult['status']
  | { status: InvocationResult['status']; payload?: string; errorType?: string; delayMs?: number };

const ERROR_TYPES: Record<string, string | undefined> = {
  'function-error': 'Error',
  timeout: 'Sandbox.Timedout',
  'out-of-memory': 'Runtime.OutOfMemory',
  throttled: 'TooManyRequestsException',
  'service-error': 'ServiceException',
};

/**
 * A Target that answers from a script, one step per call (the last step repeats), after an optional
 * virtual delay. Used only by unit tests of pure delivery logic; integration tests use the real one.
 */
export class ScriptedTarget implements Target {
  readonly info = { kind: 'local' as const, notes: [] };
  readonly calls: Array<{ at: number; req: InvokeRequest }> = [];
  #steps: Step[];
  #clock: Clock;
  inFlight = 0;
  maxInFlight = 0;

  constructor(clock: Clock, steps: Step[]) {
    this.#clock = clock;
    this.#steps = steps;
  }

  async ensureFunction(): Promise<void> {}
  async prepare(): Promise<string> {
    return '1';
  }
  async forceColdStart(_fn: unknown, qualifier: string): Promise<string> {
    return qualifier;
  }
  async close(): Promise<void> {}

  async invoke(req: InvokeRequest): Promise<InvocationResult> {
    const index = Math.min(this.calls.length, this.#steps.length - 1);
    this.calls.push({ at: this.#clock.now(), req });
    const raw = this.#steps[index] ?? 'ok';
    const step = typeof raw === 'string' ? { status: raw } : raw;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (step.delayMs) await new Promise<void>((resolve) => this.#clock.setTimer(step.delayMs ?? 0, resolve));
    this.inFlight -= 1;
    const errorType = step.errorType ?? ERROR_TYPES[step.status];
    const payload =
      step.payload ?? (errorType ? JSON.stringify({ errorType, errorMessage: 'scripted' }) : '{"ok":true}');
    const result: InvocationResult = {
      status: step.status,
      payload: new TextEncoder().encode(step.status === 'throttled' ? '' : payload),
      callLatencyUs: (step.delayMs ?? 0) * 1000,
      cold: false,
      executedVersion: '1',
    };
    if (errorType) result.errorType = errorType;
    return result;
  }
}
