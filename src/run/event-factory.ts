/**
 * Builds the payload for each arrival of a source: the generator's event (or an `invoke` source's
 * templated payload) for the arrival index, with the CSV row it draws and the processor module
 * applied last. The same seed and index always give the same payload, so every sweep point sees the
 * same events.
 */
import { pathToFileURL } from 'node:url';
import { InputError } from '../core/errors.js';
import { generate } from '../events/index.js';
import { EventRandom, Stream } from '../events/random.js';
import { renderDeep } from '../events/template.js';
import type { CsvPayload, ScenarioSource } from '../scenario/types.js';

/** What a processor module's `buildEvent(event, ctx)` receives besides the event. */
export interface ProcessorContext {
  source: string;
  index: number;
  seed: number;
  vars: Record<string, string>;
}

type BuildEvent = (event: unknown, ctx: ProcessorContext) => unknown;

export type EventFactory = (index: number) => Promise<string> | string;

/** Imports the processor (if any) once, up front, so a bad module fails before the run starts. */
export async function createEventFactory(
  source: ScenarioSource,
  seed: number,
  nowMs: number,
): Promise<EventFactory> {
  const build =
    source.processor === undefined ? undefined : await loadProcessor(source.processor, source.name);
  const varsFor = csvRows(source.payload, seed);
  const random = new EventRandom();
  const base = (index: number, vars: Record<string, string>): unknown => {
    if (source.kind === 'invoke') {
      random.seed(seed, index, Stream.Templates);
      return renderDeep(source.invokePayload, { faker: random.faker, index, now: nowMs, vars });
    }
    const types = source.eventTypes;
    const type = types === undefined ? source.eventType : types[index % types.length];
    return generate(source.kind, type, source.options, { seed, index, now: nowMs, vars });
  };
  if (build === undefined) {
    return (index) => JSON.stringify(base(index, varsFor(index)));
  }
  return async (index) => {
    const vars = varsFor(index);
    const event = await build(base(index, vars), { source: source.name, index, seed, vars });
    return typeof event === 'string' ? event : JSON.stringify(event);
  };
}

/** A CSV row per arrival: in file order (wrapping around) or a seeded random pick. */
function csvRows(payload: CsvPayload | undefined, seed: number): (index: number) => Record<string, string> {
  const empty: Record<string, string> = {};
  if (payload === undefined || payload.rows.length === 0) return () => empty;
  const rows = payload.rows;
  if (payload.order === 'sequence') return (index) => rows[index % rows.length] ?? empty;
  const random = new EventRandom();
  return (index) =>
    rows[Math.floor(random.seed(seed, index, Stream.Templates + 1).next() * rows.length)] ?? empty;
}

async function loadProcessor(path: string, source: string): Promise<BuildEvent> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(
      'PROCESSOR',
      `sources.${source}.processor: cannot load ${path}: ${(error as Error).message}`,
    );
  }
  const fn = mod.buildEvent ?? (mod.default as Record<string, unknown> | undefined)?.buildEvent;
  if (typeof fn !== 'function') {
    throw new InputError(
      'PROCESSOR',
      `sources.${source}.processor: ${path} must export a function buildEvent(event, ctx)`,
    );
  }
  return fn as BuildEvent;
}
