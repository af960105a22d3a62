/**
 * The most a run can cost on Lambda, before it starts: every expected invocation at its sweep
 * point's memory, billed for the whole function timeout (what Lambda can bill at most per call),
 * plus the request charge — priced with the cost model's table (src/cost). Retries of async
 * sources and closed-model arrivals come on top; the preflight says so.
 */
import { DEFAULT_PRICES, type PriceTable, tieredDurationUsd } from '../../cost/index.js';
import type { RunPlan } from '../../scenario/plan.js';

/** USD at most for the plan's expected invocations; `timeoutS` per function name. */
export function worstCaseCostUsd(
  plan: Pick<RunPlan, 'points' | 'sources'>,
  timeoutS: Record<string, number>,
  prices: PriceTable = DEFAULT_PRICES,
): number {
  let requests = 0;
  let gbSeconds = 0;
  for (const point of plan.points) {
    for (const source of plan.sources) {
      const events = source.expectedEvents ?? 0;
      for (const fn of source.to) {
        const memoryMB = point.memoryMB[fn];
        if (memoryMB === undefined) continue;
        requests += events;
        gbSeconds += events * (memoryMB / 1024) * (timeoutS[fn] ?? 0);
      }
    }
  }
  return (
    requests * prices.requestUsd + tieredDurationUsd(prices.architectures.x86_64.durationTiers, gbSeconds)
  );
}
