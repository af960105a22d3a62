/**
 * artillery-engine-lambench: an Artillery 2 engine whose virtual users deliver events from a
 * lambench scenario's sources to its functions. Artillery's phases decide when a user arrives;
 * lambench (loaded as a library) generates each event, delivers it as the real service would and
 * reports latency, cold starts and outcomes as Artillery metrics (`lambench.<function>.<memory>.…`).
 *
 * CommonJS so every Artillery 2.0.x can require it; lambench itself is an ES module, loaded with
 * import() in init(). Artillery up to 2.0.21 never calls init(), so every user awaits it too.
 */
'use strict';

const { dirname, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');

/** Where the lambench library comes from: LAMBENCH_LIBRARY (a file), else the `lambench` package. */
function importLibrary() {
  const explicit = process.env.LAMBENCH_LIBRARY;
  if (explicit) return import(pathToFileURL(explicit).href);
  return import('lambench').catch((error) => {
    const hint = new Error(
      'artillery-engine-lambench: cannot load the lambench library; install it beside the engine ' +
        '(npm install lambench) or set LAMBENCH_LIBRARY to its dist/index.js',
    );
    hint.cause = error;
    throw hint;
  });
}

class LambenchEngine {
  /**
   * @param {{config: Record<string, any>, scenarios: unknown[]}} script the worker's script
   * @param {import('node:events').EventEmitter} ee the runner's emitter (metrics on it are ignored)
   * @param {Record<string, Function>} helpers Artillery's engine_util
   */
  constructor(script, ee, helpers) {
    this.script = script;
    this.ee = ee;
    this.helpers = helpers;
    this.config = script.config;
    /** @type {Promise<any> | undefined} */
    this.session = undefined;
    // Artillery has no engine shutdown hook, and a worker may be ended before its process 'exit'
    // handlers run: the runner's 'done' (every user finished) is when environments are stopped.
    ee.on('done', () => {
      this.close().catch(() => {});
    });
  }

  /** Stops the scenario's environments; a later user would open a new session. */
  async close() {
    const session = this.session;
    this.session = undefined;
    if (session !== undefined) await (await session).close();
  }

  /** Loads the scenario and deploys its functions once per worker; every user awaits it. */
  async init() {
    if (this.session === undefined) {
      this.session = importLibrary().then((lib) => {
        const config = lib.parseEngineConfig(this.config.engines?.lambench);
        return lib.openEngineSession(config, { baseDir: scriptFolder(this.script) });
      });
      // A failure surfaces in every user that awaits it; this only keeps it from being unhandled.
      this.session.catch(() => {});
    }
    return this.session;
  }

  /** Compiles one scenario's flow into Artillery's `(context, callback)` function. */
  createScenario(spec, ee) {
    const steps = (spec.flow || []).map((step) => this.step(step, ee));
    return (context, callback) => {
      ee.emit('started');
      this.init()
        .then((session) => {
          session.attach(ee);
          return runSteps(steps, context);
        })
        .then(
          (ctx) => callback(null, ctx),
          (error) => {
            ee.emit('error', errorCode(error));
            callback(error, context);
          },
        );
    };
  }

  /** One flow step: `lambench`, or Artillery's own `think`, `loop`, `function`, `log`. */
  step(spec, ee) {
    const { helpers } = this;
    if (spec.lambench !== undefined) {
      const source = typeof spec.lambench === 'string' ? spec.lambench : spec.lambench?.source;
      if (typeof source !== 'string') {
        throw new Error('lambench step: expected { lambench: { source: <source name> } }');
      }
      return (context, callback) => {
        const name = helpers.template(source, context);
        this.init()
          .then((session) => session.deliver(name))
          .then(
            () => callback(null, context),
            (error) => callback(error, context),
          );
      };
    }
    if (spec.loop !== undefined) {
      const steps = spec.loop.map((s) => this.step(s, ee));
      const processor = this.config.processor || {};
      return helpers.createLoopWithCount(spec.count || -1, steps, {
        loopValue: spec.loopValue || '$loopCount',
        overValues: spec.over,
        whileTrue: spec.whileTrue === undefined ? undefined : processor[spec.whileTrue],
      });
    }
    if (spec.think !== undefined) {
      return helpers.createThink(spec, this.config.defaults?.think || {});
    }
    if (spec.function !== undefined) {
      return (context, callback) => {
        const fn = this.config.processor?.[spec.function];
        if (typeof fn !== 'function') {
          ee.emit('error', `Undefined function "${spec.function}"`);
          return process.nextTick(callback, null, context);
        }
        // Callback-style processors take (context, ee, next); async ones return a promise.
        if (fn.constructor.name === 'AsyncFunction') {
          fn(context, ee).then(
            () => callback(null, context),
            (error) => callback(error, context),
          );
        } else {
          fn(context, ee, (error) => callback(error || null, context));
        }
      };
    }
    if (spec.log !== undefined) {
      return (context, callback) => {
        console.log(helpers.template(spec.log, context));
        process.nextTick(callback, null, context);
      };
    }
    throw new Error(`lambench engine: unknown flow step ${JSON.stringify(spec)}`);
  }
}

/**
 * The folder relative paths in `config.engines.lambench` are read from: the file that holds the
 * config (Artillery's `--config`, else the script), as Artillery does for payloads and processors,
 * so a script and its files can move together (distributed workers get them in another folder).
 */
function scriptFolder(script) {
  const file = script._configPath || script._scriptPath;
  return typeof file === 'string' ? dirname(resolve(process.cwd(), file)) : process.cwd();
}

/** Runs `(context, callback)` steps one after another. */
function runSteps(steps, context) {
  return steps.reduce(
    (previous, step) =>
      previous.then(
        (ctx) =>
          new Promise((resolve, reject) => {
            step(ctx, (error, next) => (error ? reject(error) : resolve(next || ctx)));
          }),
      ),
    Promise.resolve(context),
  );
}

/** Artillery counts errors as `errors.<code>`: a short string, never an Error object. */
function errorCode(error) {
  if (error && typeof error.code === 'string') return `lambench.${error.code}`;
  return `lambench.${error?.name ? error.name : 'Error'}`;
}

module.exports = LambenchEngine;
