/**
 * Functions, published versions and aliases: the control-plane state of the emulator. Invokes
 * resolve through a small cache so the hot path does no parsing; any change clears it.
 */
import { functionArn, parseFunctionRef } from './arn.js';
import { invalidParameter, resourceConflict, resourceNotFound } from './service-errors.js';
import type { AliasConfiguration, FunctionConfiguration } from './types.js';

export const LATEST = '$LATEST';

/** An alias with its routing pre-resolved: `secondary` gets `weight` of the traffic. */
interface AliasRecord {
  config: AliasConfiguration;
  secondary?: string;
  weight: number;
}

export interface FunctionRecord {
  name: string;
  arn: string;
  latest: FunctionConfiguration;
  versions: Map<string, FunctionConfiguration>;
  aliases: Map<string, AliasRecord>;
  nextVersion: number;
  /** Fingerprint of the configuration last published, so an unchanged PublishVersion is a no-op. */
  lastPublished?: string;
}

/** What an invoke runs: the function, the version's configuration and the ARN the caller used. */
export interface Resolved {
  fn: FunctionRecord;
  config: FunctionConfiguration;
  invokedArn: string;
}

type Target =
  | { fn: FunctionRecord; config: FunctionConfiguration; invokedArn: string }
  | { fn: FunctionRecord; alias: AliasRecord; invokedArn: string };

const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;

export class Registry {
  readonly #functions = new Map<string, FunctionRecord>();
  readonly #cache = new Map<string, Target>();
  readonly #region: string;
  readonly #accountId: string;

  constructor(region: string, accountId: string) {
    this.#region = region;
    this.#accountId = accountId;
  }

  arnOf(name: string): string {
    return functionArn(this.#region, this.#accountId, name);
  }

  add(config: FunctionConfiguration): FunctionRecord {
    if (this.#functions.has(config.functionName)) {
      throw resourceConflict(`Function already exist: ${config.functionName}`);
    }
    const rec: FunctionRecord = {
      name: config.functionName,
      arn: config.functionArn,
      latest: config,
      versions: new Map(),
      aliases: new Map(),
      nextVersion: 1,
    };
    this.#functions.set(rec.name, rec);
    this.#cache.clear();
    return rec;
  }

  remove(name: string): FunctionRecord {
    const rec = this.get(name);
    this.#functions.delete(rec.name);
    this.#cache.clear();
    return rec;
  }

  /** The function named by a name or ARN (qualifier ignored). */
  get(functionName: string): FunctionRecord {
    const { name } = parseFunctionRef(functionName);
    const rec = this.#functions.get(name);
    if (!rec) throw resourceNotFound(`Function not found: ${this.arnOf(name)}`);
    return rec;
  }

  list(): FunctionRecord[] {
    return [...this.#functions.values()];
  }

  replaceLatest(rec: FunctionRecord, config: FunctionConfiguration): void {
    rec.latest = config;
    this.#cache.clear();
  }

  /** PublishVersion: an immutable copy of $LATEST, numbered 1, 2, …; unchanged config → same version. */
  publish(functionName: string, description?: string): FunctionConfiguration {
    const rec = this.get(functionName);
    const { version: _v, functionArn: _a, lastModified: _m, description: _d, ...rest } = rec.latest;
    const fingerprint = JSON.stringify(rest);
    const last = rec.versions.get(String(rec.nextVersion - 1));
    if (last && rec.lastPublished === fingerprint) return last;
    const version = String(rec.nextVersion++);
    const snapshot: FunctionConfiguration = {
      ...rec.latest,
      environment: { ...rec.latest.environment },
      version,
      functionArn: `${rec.arn}:${version}`,
    };
    if (description !== undefined) snapshot.description = description;
    Object.freeze(snapshot.environment);
    rec.versions.set(version, Object.freeze(snapshot));
    rec.lastPublished = fingerprint;
    this.#cache.clear();
    return snapshot;
  }

  /** The configuration of `$LATEST`, a version, or the primary version of an alias. */
  configuration(functionName: string, qualifier?: string): FunctionConfiguration {
    const target = this.#target(functionName, qualifier);
    return 'config' in target ? target.config : this.#version(target.fn, target.alias.config.functionVersion);
  }

  /** Resolves an invoke target, applying an alias's weighted routing. */
  resolve(functionName: string, qualifier?: string): Resolved {
    const target = this.#target(functionName, qualifier);
    if ('config' in target) return target;
    const { alias, fn } = target;
    const version =
      alias.secondary !== undefined && Math.random() < alias.weight
        ? alias.secondary
        : alias.config.functionVersion;
    return { fn, config: this.#version(fn, version), invokedArn: target.invokedArn };
  }

  #target(functionName: string, qualifier?: string): Target {
    const key = qualifier === undefined ? functionName : `${functionName}\u0000${qualifier}`;
    let target = this.#cache.get(key);
    if (!target) {
      target = this.#lookup(functionName, qualifier);
      this.#cache.set(key, target);
    }
    return target;
  }

  #lookup(functionName: string, qualifier?: string): Target {
    const ref = parseFunctionRef(functionName, qualifier);
    const fn = this.#functions.get(ref.name);
    if (!fn) throw resourceNotFound(`Function not found: ${this.arnOf(ref.name)}`);
    const q = ref.qualifier;
    if (q === undefined) return { fn, config: fn.latest, invokedArn: fn.arn };
    const invokedArn = `${fn.arn}:${q}`;
    if (q === LATEST) return { fn, config: fn.latest, invokedArn };
    if (/^\d+$/.test(q)) return { fn, config: this.#version(fn, q), invokedArn };
    const alias = fn.aliases.get(q);
    if (!alias) throw resourceNotFound(`Function not found: ${invokedArn}`);
    return { fn, alias, invokedArn };
  }

  #version(fn: FunctionRecord, version: string): FunctionConfiguration {
    if (version === LATEST) return fn.latest;
    const config = fn.versions.get(version);
    if (!config) throw resourceNotFound(`Function not found: ${fn.arn}:${version}`);
    return config;
  }

  /** DeleteFunction with a version qualifier: refused while an alias routes to the version, as on AWS. */
  deleteVersion(functionName: string, version: string): void {
    const fn = this.get(functionName);
    this.#version(fn, version);
    for (const { config, secondary } of fn.aliases.values()) {
      if (config.functionVersion === version || secondary === version) {
        throw resourceConflict(
          `Unable to delete version because the following aliases reference it: [${config.name}]`,
        );
      }
    }
    fn.versions.delete(version);
    this.#cache.clear();
  }

  versions(functionName: string): FunctionConfiguration[] {
    const rec = this.get(functionName);
    return [rec.latest, ...rec.versions.values()];
  }

  setAlias(
    functionName: string,
    alias: Omit<AliasConfiguration, 'aliasArn'>,
    create: boolean,
  ): AliasConfiguration {
    const fn = this.get(functionName);
    if (create && !ALIAS_NAME.test(alias.name)) {
      throw invalidParameter(
        `Alias name '${alias.name}' must be letters, digits, - or _ and not only digits`,
      );
    }
    if (create && fn.aliases.has(alias.name)) {
      throw resourceConflict(`Alias already exists: ${fn.arn}:${alias.name}`);
    }
    const record = this.#aliasRecord(fn, { ...alias, aliasArn: `${fn.arn}:${alias.name}` });
    fn.aliases.set(alias.name, record);
    this.#cache.clear();
    return record.config;
  }

  getAlias(functionName: string, name: string): AliasConfiguration {
    return this.#alias(this.get(functionName), name).config;
  }

  deleteAlias(functionName: string, name: string): void {
    const fn = this.get(functionName);
    this.#alias(fn, name);
    fn.aliases.delete(name);
    this.#cache.clear();
  }

  aliases(functionName: string): AliasConfiguration[] {
    return [...this.get(functionName).aliases.values()].map((a) => a.config);
  }

  #alias(fn: FunctionRecord, name: string): AliasRecord {
    const alias = fn.aliases.get(name);
    if (!alias) throw resourceNotFound(`Alias not found: ${fn.arn}:${name}`);
    return alias;
  }

  /** Validates an alias the way Lambda does: existing versions, at most one extra, weights 0–1. */
  #aliasRecord(fn: FunctionRecord, config: AliasConfiguration): AliasRecord {
    this.#version(fn, config.functionVersion);
    const extra = Object.entries(config.additionalVersionWeights ?? {});
    if (extra.length === 0) return { config, weight: 0 };
    const [first] = extra;
    if (extra.length > 1 || !first) throw invalidParameter('An alias can route to at most 2 versions');
    const [secondary, weight] = first;
    if (!(weight >= 0 && weight <= 1)) throw invalidParameter(`Weight ${weight} must be between 0.0 and 1.0`);
    if (secondary === config.functionVersion) {
      throw invalidParameter('The additional version must differ from the alias primary version');
    }
    if (secondary === LATEST || config.functionVersion === LATEST) {
      throw invalidParameter('Weighted routing needs published versions, not $LATEST');
    }
    this.#version(fn, secondary);
    return { config, secondary, weight };
  }
}
