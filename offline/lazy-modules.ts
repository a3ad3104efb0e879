/**
 * Stand-ins in the require cache for modules the offline preview loads but does not use: each
 * loads the real module, or builds, on first use only, so the program gets exactly what it would
 * have got. `./startup.ts` says which and why.
 */

import { existsSync } from "node:fs";
import Module from "node:module";
import * as path from "node:path";

/** Loads a module of a package fresh, outside the require cache (the cache holds its stand-in). */
function loadUncached(filename: string): Record<string, unknown> {
  const real = new Module(filename, module);
  real.filename = filename;
  real.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    path.dirname(filename),
  );
  (real as unknown as { load(file: string): void }).load(filename);
  return real.exports as Record<string, unknown>;
}

/** Puts a stand-in module into the require cache under a real module's file name. */
export function standIn(filename: string, exports: Record<string, unknown>): void {
  const stand = new Module(filename, module);
  stand.filename = filename;
  stand.loaded = true;
  stand.exports = exports;
  require.cache[filename] = stand;
}

/**
 * The closure serializer's modules (`runtime/closure/serializeClosure.js`, `codePaths.js`) as
 * functions that load them when first called. `@pulumi/pulumi`'s runtime copies exactly these
 * functions out of them at load time (`runtime/index.js`), so a forwarding function per name is
 * what it gets; `tests/offline-startup.test.ts` pins that list against the installed version.
 */
export const DEFERRED_CLOSURE_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  "runtime/closure/serializeClosure.js": ["serializeFunctionAsync", "serializeFunction"],
  "runtime/closure/codePaths.js": ["computeCodePaths"],
};

/** Defers the closure serializer of `@pulumi/pulumi` until a program serializes a closure. */
export function deferClosureSerializer(): void {
  const root = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  for (const [relative, names] of Object.entries(DEFERRED_CLOSURE_EXPORTS)) {
    const filename = path.join(root, relative);
    if (require.cache[filename]) continue; // already loaded: nothing to save
    let real: Record<string, unknown> | undefined;
    const load = (): Record<string, unknown> => (real ??= loadUncached(filename));
    const forward = (name: string) =>
      function (this: unknown, ...args: unknown[]): unknown {
        return (load()[name] as (...a: unknown[]) => unknown).apply(this, args);
      };
    standIn(filename, Object.fromEntries(names.map((name) => [name, forward(name)])));
  }
}

/**
 * A module's exports, loaded on first use: a proxy that answers `__esModule` (every generated SDK
 * module is one, and `__importStar` asks) without loading, and anything else from the real module.
 */
function lazyExports(load: () => object): object {
  return new Proxy(
    {},
    {
      get: (_t, key) => (key === "__esModule" ? true : Reflect.get(load(), key)),
      has: (_t, key) => key === "__esModule" || Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_t, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        // The proxy's target has no such property: it may only be reported as configurable.
        return d && { ...d, configurable: true };
      },
    },
  );
}

/**
 * Puts a generated Pulumi SDK's index in the require cache, run as it is (its re-exports, its
 * provider registration, its lazily loaded functions) except that each service namespace it
 * requires (`./<folder>` with an `index.js`) is loaded when the program first reads from it.
 */
export function deferNamespaces(packageName: string): void {
  const filename = require.resolve(packageName);
  if (require.cache[filename]) return;
  const root = path.dirname(filename);
  const index = new Module(filename, module) as Module & { require(id: string): unknown };
  index.filename = filename;
  index.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(root);
  const plainRequire = index.require.bind(index);
  index.require = (id: string): unknown => {
    const namespace = /^\.\/([\w-]+)$/.exec(id) && path.join(root, id, "index.js");
    if (!namespace || !existsSync(namespace)) return plainRequire(id);
    return lazyExports(() => plainRequire(id) as object);
  };
  require.cache[filename] = index;
  try {
    (index as unknown as { load(file: string): void }).load(filename);
  } catch (error) {
    delete require.cache[filename];
    throw error;
  }
}
