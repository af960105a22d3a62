/**
 * The sources a SAM template's Events declare, merged with the scenario's sources of the same
 * name. A template event runs only with a load: its scenario source's, or `templateLoad:`;
 * without either it is listed in the plan as skipped.
 */
import type { Reporter } from './reporter.js';
import { resolveSource, type SourceContext } from './resolve-source.js';
import { mapTemplateEvent, mergeSource } from './sam.js';
import type { SamTemplate } from './sam-template.js';
import { EVENT_KEYS, type RawSource } from './schema.js';
import type { ScenarioSource, SkippedTemplateEvent } from './types.js';

export interface TemplateSources {
  sources: Record<string, ScenarioSource>;
  skipped: SkippedTemplateEvent[];
  /** Scenario source names that a template event took over (merged), so they are not resolved twice. */
  claimed: Set<string>;
}

export function resolveTemplateSources(
  template: SamTemplate,
  own: Record<string, RawSource>,
  ctx: Omit<SourceContext, 'origin' | 'position'>,
): TemplateSources {
  const out: TemplateSources = { sources: {}, skipped: [], claimed: new Set() };
  for (const fn of template.functions) {
    for (const event of fn.events) {
      const mapped = mapTemplateEvent(fn, event, template.file);
      const name = `${fn.logicalId}.${event.name}`;
      const mine = own[name];
      if (mine) out.claimed.add(name);
      if ('skipped' in mapped) {
        if (mine?.load !== undefined) reportUnsupported(ctx.reporter, name, mapped.skipped.reason);
        else out.skipped.push(mapped.skipped);
        continue;
      }
      if (mine === undefined && ctx.templateLoad === undefined) {
        out.skipped.push({
          name,
          eventType: event.type,
          reason: `no load: add sources["${name}"].load or a templateLoad`,
        });
        continue;
      }
      if (mine && !sameEventKey(mapped.source.raw, mine, name, event.type, ctx.reporter)) continue;
      const raw = mine ? mergeSource(mapped.source.raw, mine) : mapped.source.raw;
      const resolved = resolveSource(name, raw, {
        ...ctx,
        origin: mapped.source.origin,
        ...(mine ? {} : { position: mapped.source.position }),
      });
      if (resolved) out.sources[name] = resolved;
    }
  }
  return out;
}

function reportUnsupported(reporter: Reporter, name: string, reason: string): void {
  reporter.fail(['sources', name, 'load'], reason, { key: true, code: 'SCENARIO_UNSUPPORTED' });
}

/** A scenario source merging with a template event may refine its options, not change its kind. */
function sameEventKey(
  base: RawSource,
  mine: RawSource,
  name: string,
  type: string,
  reporter: Reporter,
): boolean {
  const other = EVENT_KEYS.find((k) => mine[k] !== undefined && base[k] === undefined);
  if (other === undefined) return true;
  reporter.fail(
    ['sources', name, other],
    `the SAM template declares this event as ${type}; ${other} cannot replace it`,
    {
      key: true,
    },
  );
  return false;
}
