/**
 * Start-up of the offline preview, imported before anything else by `./cli.ts`. Four things cost
 * most of a run that the preview does not need, and none changes what it renders:
 *
 * - `closure-serializer`: `@pulumi/pulumi`'s runtime loads its closure serializer eagerly (for
 *   `aws.lambda.CallbackFunction` and dynamic providers): the TypeScript compiler and npm's
 *   Arborist, a third of the start-up. The program declares no closure, so
 *   `deferClosureSerializer` (`./sdk-internals.ts`) loads it on first use only.
 * - `aws-namespaces`: `@pulumi/aws`'s index loads the index of each of its ~300 services; the
 *   program uses seven. `deferNamespaces` loads a service's index when the program first
 *   reaches for it.
 * - `stack-traces`: every promise and resource the runtime creates records `new Error().stack`
 *   (for leak reports and source positions the renderer never reads); with source maps on (tsx
 *   turns them on) each is mapped back to TypeScript. The preview prints messages, never stacks:
 *   it records none.
 * - `bundle-cache`: the program bundles the web app with esbuild's `buildSync` once per render,
 *   and the preview renders each stack twice (preview and wiring) and runs again and again during
 *   a review: `cacheBundles` answers a build whose inputs did not change from memory or from
 *   `node_modules/.cache/` (see `./bundle-cache.ts`), with the same bytes.
 *
 * `NATIVE_WEB_SSO_PLAIN_START=all` (or a comma-separated list of these names) turns them off: the
 * way out if an SDK upgrade breaks one before `tests/sdk-internals.test.ts` is updated, and how the
 * bench measures what each buys.
 */

import { SHORTCUTS, turnedOff } from "./startup-shortcuts";

let off: ReadonlySet<string>;
try {
  off = turnedOff(process.env.NATIVE_WEB_SSO_PLAIN_START);
} catch (error) {
  // A mistyped variable stops the run with the fix, as a bad option does.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
for (const [name, apply] of Object.entries(SHORTCUTS)) if (!off.has(name)) apply();
