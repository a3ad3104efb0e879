/**
 * Every place the offline preview reaches past a public interface of the Pulumi SDKs or of Node's
 * module loader, in one module, each with what it buys. `tests/sdk-internals.test.ts` checks each
 * against the installed packages and fails, naming the version in {@link CHECKED_AGAINST}, when an
 * upgrade changes one; `NATIVE_WEB_SSO_PLAIN_START=all` turns the start-up ones off (`./startup.ts`).
 *
 * For speed (the bench measures each, side by side, and the README gives the figures):
 * - {@link deferClosureSerializer}: `@pulumi/pulumi`'s runtime copies its closure serializer's
 *   functions out of `runtime/closure/*.js` at load time; stand-ins in the require cache load the
 *   real modules (the TypeScript compiler, npm's Arborist) on first call. Uses Node's
 *   `Module._nodeModulePaths` and `Module.prototype.load`, which have no public equivalent for
 *   loading a file outside the require cache.
 * - {@link deferNamespaces}: `@pulumi/aws`'s index requires its ~300 service indexes eagerly; a
 *   proxy per service, answering `__esModule` without loading (TypeScript's `__importStar` asks).
 * - {@link standIn}: the require cache entry `./bundle-cache.ts` uses for esbuild's `buildSync`.
 *
 * For correctness (no public interface gives what the renderer must show):
 * - {@link recordRegistrations}: each registration's parent, dependencies, `protect` and
 *   `additionalSecretOutputs` (the mocks' `newResource` gets none of them), from the mock monitor
 *   `pulumi.runtime.getMonitor()` returns.
 * - {@link outputState}: whether an Output is known without applying it (`apply` skips unknowns).
 * - {@link waitForRPCs}: the runtime's wait for registrations in flight.
 * - {@link policyInternals}: `@pulumi/policy`'s unknown-checking proxy and its error, which it
 *   exports at run time with empty typings, and the `__pulumiType` a resource class carries, which
 *   `isType`/`asType` compare.
 */

import { existsSync } from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import type * as PulumiSdk from "@pulumi/pulumi";
import type * as PolicySdk from "@pulumi/policy";

// The SDKs are required when first used, never at import: `./startup.ts` imports this module to
// defer parts of `@pulumi/pulumi` before anything loads it.
/* eslint-disable @typescript-eslint/no-require-imports */
const pulumiSdk = (): typeof PulumiSdk => require("@pulumi/pulumi") as typeof PulumiSdk;
const policySdk = (): typeof PolicySdk => require("@pulumi/policy") as typeof PolicySdk;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The versions every internal here was checked against. */
export const CHECKED_AGAINST = {
  "@pulumi/pulumi": "3.248.0",
  "@pulumi/aws": "7.48.0",
  "@pulumi/policy": "1.21.0",
} as const;

/** `Module._nodeModulePaths`: the lookup paths of a module in `dir`, as `require` builds them. */
function nodeModulePaths(dir: string): string[] {
  return (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dir);
}

/** `Module.prototype.load`: runs a file as the module's code. */
function loadInto(m: Module, filename: string): void {
  (m as unknown as { load(file: string): void }).load(filename);
}

/** Loads a module of a package fresh, outside the require cache (the cache holds its stand-in). */
export function loadUncached(filename: string): Record<string, unknown> {
  const real = new Module(filename, module);
  real.filename = filename;
  real.paths = nodeModulePaths(path.dirname(filename));
  loadInto(real, filename);
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
 * what it gets; `tests/sdk-internals.test.ts` pins that list against the installed version.
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
  index.paths = nodeModulePaths(root);
  const plainRequire = index.require.bind(index);
  index.require = (id: string): unknown => {
    const namespace = /^\.\/([\w-]+)$/.exec(id) && path.join(root, id, "index.js");
    if (!namespace || !existsSync(namespace)) return plainRequire(id);
    return lazyExports(() => plainRequire(id) as object);
  };
  require.cache[filename] = index;
  try {
    loadInto(index, filename);
  } catch (error) {
    delete require.cache[filename];
    throw error;
  }
}

/** What the mock monitor is asked to register (the generated `RegisterResourceRequest`'s getters). */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean | undefined;
  getObject(): unknown;
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
}

/** What the monitor answers a registration; `urn` is empty when it failed. */
type RegisterCallback = (err: Error | null, resp?: { getUrn(): string }) => void;

/**
 * Calls `onRequest` for every resource the program registers from now on, with a promise of the
 * URN the mock monitor gives it (empty when the registration failed), and counts registrations in
 * flight. Call after `pulumi.runtime.setMocks`.
 */
export function recordRegistrations(onRequest: (req: RegisterRequest, urn: Promise<string>) => void): {
  inFlight: () => number;
} {
  const monitor = pulumiSdk().runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: RegisterCallback): void;
  };
  const original = monitor.registerResource.bind(monitor);
  let inFlight = 0;
  monitor.registerResource = (req, cb) => {
    inFlight++;
    let resolveUrn: (urn: string) => void = () => undefined;
    onRequest(req, new Promise<string>((r) => (resolveUrn = r)));
    original(req, (err, resp) => {
      inFlight--;
      resolveUrn(err || !resp ? "" : resp.getUrn());
      cb(err, resp);
    });
  };
  return { inFlight: () => inFlight };
}

/** An Output's value, with unknowns left in place, and whether it is known and secret, without applying it. */
export async function outputState(
  v: unknown,
): Promise<{ known: boolean; secret: boolean; value: () => Promise<unknown> }> {
  const o = pulumiSdk().output(v) as unknown as {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<unknown>;
  };
  const [known, secret] = await Promise.all([o.isKnown, o.isSecret]);
  return { known, secret, value: () => o.promise(true) };
}

/** Waits for the runtime's RPCs in flight (a no-op where the runtime has no such wait). */
export async function waitForRPCs(): Promise<void> {
  const wait = (pulumiSdk().runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (wait) await wait();
}

/** `@pulumi/policy`'s run-time exports that its typings leave empty, and a resource class's type. */
export const policyInternals = {
  /** Wraps a policy's `props` so that reading an unknown value throws (see {@link isUnknownValueError}). */
  unknownCheckingProxy<T extends object>(props: T): T {
    return (policySdk().unknownCheckingProxy as (p: T) => T)(props);
  },
  /** `true` for what the proxy throws; the engine reports the policy as not run during preview. */
  isUnknownValueError(error: unknown): error is Error {
    return error instanceof (policySdk().UnknownValueError as abstract new (...args: never[]) => Error);
  },
  /** `true` when a resource of `type` is of `resourceClass` (what `isType` and `asType` compare). */
  isTypeOf(type: string, resourceClass: unknown): boolean {
    const pulumiType = (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    if (typeof pulumiType === "string" && pulumiType.length > 0) return type === pulumiType;
    const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
  },
};
