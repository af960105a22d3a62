/**
 * loadScenario: YAML file (+ `--set`, `--duration-scale`, an optional SAM template) → Scenario.
 * Problems are collected and thrown together as InputErrors (exit code 2), each naming the file,
 * line, column and field.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq } from 'yaml';
import { InputError, InputErrors } from '../core/errors.js';
import { checkFirstEvent } from './event-check.js';
import { issueMessages, reportIssues } from './issues.js';
import { applyOverrides } from './overrides.js';
import { Reporter } from './reporter.js';
import { resolveExpect, resolveReport } from './resolve-expect.js';
import { resolveFunction } from './resolve-function.js';
import { scaleLoad } from './resolve-load.js';
import { resolveSource } from './resolve-source.js';
import { checkTemplateRuntime, mergeFunction, templateFunction } from './sam.js';
import { loadSamTemplate, type SamTemplate } from './sam-template.js';
import { type RawScenario, scenarioSchema } from './schema.js';
import { resolveTemplateSources } from './template-sources.js';
import type { Scenario, ScenarioFunction, ScenarioSource } from './types.js';
import { parseDuration } from './units.js';
import { type ParsedYaml, parseYaml, readText, toPlain } from './yaml-document.js';

export interface LoadOptions {
  /** `--set path=value` arguments, applied in order before validation. */
  set?: readonly string[];
  /** `--duration-scale F` (F > 0): multiplies every phase duration and pause after validation. */
  durationScale?: number;
  /**
   * The folder `reports/` is relative to when the scenario names no `run.output` (default: the
   * process's working directory, where the user ran lambench). A `run.output` in the file is
   * relative to the file, like every other path in it.
   */
  cwd?: string;
}

/** Reads, validates and resolves a scenario file. Throws InputError/InputErrors (exit code 2). */
export async function loadScenario(file: string, opts: LoadOptions = {}): Promise<Scenario> {
  return loadScenarioText(readText(path.resolve(file), 'scenario file', { file }), file, opts);
}

/** Like loadScenario, for text already in memory; `file` names it and anchors relative paths. */
export function loadScenarioText(text: string, file: string, opts: LoadOptions = {}): Scenario {
  const scale = checkScale(opts.durationScale);
  const parsed = parseYaml(text, file);
  checkTopLevel(parsed);
  const reporter = new Reporter(parsed, applyOverrides(parsed, opts.set ?? []));
  const result = scenarioSchema.safeParse(toPlain(parsed), { error: issueMessages });
  if (!result.success) {
    reportIssues(result.error.issues, reporter, scenarioSchema);
    reporter.throwIfAny();
  }
  const raw = result.data as RawScenario;
  const scenario = resolveScenario(raw, path.resolve(file), reporter, opts.cwd ?? process.cwd());
  reporter.throwIfAny();
  if (scale !== undefined) {
    for (const source of Object.values(scenario.sources)) source.load = scaleLoad(source.load, scale);
  }
  return scenario;
}

function resolveScenario(raw: RawScenario, file: string, reporter: Reporter, cwd: string): Scenario {
  const baseDir = path.dirname(file);
  const target = raw.target ?? 'local';
  const template =
    raw.template === undefined
      ? undefined
      : readTemplate(path.resolve(baseDir, raw.template), raw.template, reporter);
  // Without its template the scenario's functions and sources are incomplete: stop at its errors.
  reporter.throwIfAny();
  const functions = resolveFunctions(raw, template, { reporter, baseDir, target });
  const names = new Set([
    ...Object.keys(raw.functions ?? {}),
    ...(template?.functions.map((f) => f.logicalId) ?? []),
  ]);
  const sources: Record<string, ScenarioSource> = {};
  const sourceCtx = { reporter, baseDir, functions: names, templateLoad: raw.templateLoad };
  const fromTemplate = template ? resolveTemplateSources(template, raw.sources ?? {}, sourceCtx) : undefined;
  for (const [name, source] of Object.entries(raw.sources ?? {})) {
    if (fromTemplate?.claimed.has(name)) continue;
    const resolved = resolveSource(name, source, sourceCtx);
    if (resolved) sources[name] = resolved;
  }
  Object.assign(sources, fromTemplate?.sources);
  for (const source of Object.values(sources)) checkFirstEvent(source, raw.seed ?? 1, reporter);
  if (Object.keys(raw.sources ?? {}).length === 0 && Object.keys(fromTemplate?.sources ?? {}).length === 0) {
    reporter.fail(['sources'], 'no sources: a scenario needs at least one source with a load', { key: true });
  }
  const scenario: Scenario = {
    file,
    name: raw.name,
    seed: raw.seed ?? 1,
    target,
    functions,
    sources,
    skipped: fromTemplate?.skipped ?? [],
    expect: resolveExpect(raw.expect, functions, reporter),
    run: {
      graceMs: parseDuration(raw.run?.grace ?? '10s') ?? 0,
      outputDir:
        raw.run?.output === undefined ? path.resolve(cwd, 'reports') : path.resolve(baseDir, raw.run.output),
    },
  };
  if (raw.description !== undefined) scenario.description = raw.description;
  if (raw.aws !== undefined) {
    const { logsWait, endpoints, ...aws } = raw.aws;
    scenario.aws = stripUndefined({
      ...aws,
      ...(endpoints === undefined ? {} : { endpoints: stripUndefined(endpoints) }),
      ...(logsWait === undefined ? {} : { logsWaitMs: parseDuration(logsWait) ?? 0 }),
    });
  }
  if (raw.local !== undefined) {
    const { saturatedGrace, cpuLimiter } = raw.local;
    if (target === 'aws') {
      const why =
        'settings of the embedded emulator, but this scenario has target: aws; remove them or use target: local';
      reporter.fail(['local'], why, { key: true });
    }
    scenario.local = stripUndefined({
      saturatedGraceMs: saturatedGrace === undefined ? undefined : (parseDuration(saturatedGrace) ?? 0),
      cpuLimiter,
    });
  }
  if (template) scenario.template = template.file;
  const report = resolveReport(raw.report, baseDir);
  if (report !== undefined) scenario.report = report;
  return scenario;
}

function resolveFunctions(
  raw: RawScenario,
  template: SamTemplate | undefined,
  ctx: { reporter: Reporter; baseDir: string; target: 'local' | 'aws' },
): Record<string, ScenarioFunction> {
  const own = raw.functions ?? {};
  const out: Record<string, ScenarioFunction> = {};
  for (const fn of template?.functions ?? []) {
    checkTemplateRuntime(fn, own[fn.logicalId], ctx.reporter);
    const resolved = resolveFunction(
      fn.logicalId,
      mergeFunction(templateFunction(fn), own[fn.logicalId]),
      ctx,
    );
    if (resolved) out[fn.logicalId] = own[fn.logicalId] ? resolved : { ...resolved, position: fn.position };
  }
  for (const [name, fn] of Object.entries(own)) {
    if (out[name] || template?.functions.some((f) => f.logicalId === name)) continue;
    const resolved = resolveFunction(name, fn, ctx);
    if (resolved) out[name] = resolved;
  }
  return out;
}

function readTemplate(file: string, written: string, reporter: Reporter): SamTemplate | undefined {
  if (!existsSync(file)) {
    reporter.fail(['template'], `SAM template ${written}: no such file`);
    return undefined;
  }
  try {
    return loadSamTemplate(file);
  } catch (err) {
    if (err instanceof InputErrors) for (const e of err.errors) reporter.add(e);
    else if (err instanceof InputError) reporter.add(err);
    else throw err;
    return undefined;
  }
}

function checkTopLevel(parsed: ParsedYaml): void {
  const contents = parsed.doc.contents;
  if (contents === null) {
    throw new InputError(
      'SCENARIO_EMPTY',
      'the file is empty: a scenario needs name, functions and sources',
      {
        position: { file: parsed.file, line: 1, column: 1 },
      },
    );
  }
  if (!isMap(contents)) {
    const found = isSeq(contents) ? 'a list' : 'a single value';
    const at = parsed.lines.linePos(contents.range?.[0] ?? 0);
    throw new InputError(
      'SCENARIO_NOT_MAPPING',
      `expected a mapping at the top level (name:, functions:, sources:), found ${found}`,
      { position: { file: parsed.file, line: at.line, column: at.col } },
    );
  }
}

function checkScale(scale: number | undefined): number | undefined {
  if (scale === undefined) return undefined;
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new InputError('BAD_FLAG', `--duration-scale: expected a number greater than 0, got ${scale}`);
  }
  return scale;
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
