/** The scenario module's public surface: load a scenario file, plan its run, describe its format. */
export { formatPlan } from './format-plan.js';
export { scenarioJsonSchema } from './json-schema.js';
export { type LoadOptions, loadScenario, loadScenarioText } from './load.js';
export { planRun, type RunPlan, type SourcePlan, type SweepDimension, type SweepPoint } from './plan.js';
export * from './types.js';
export { formatDuration, parseDuration, parseSize } from './units.js';
