/**
 * Start-up of the offline preview, imported before anything else by `./cli.ts`. Four things cost
 * most of a run that the preview does not need, and none changes what it renders:
 *
 * - `@pulumi/pulumi`'s runtime loads its closure serializer eagerly (for `aws.lambda.CallbackFunction`
 *   and dynamic providers): the TypeScript compiler and npm's Arborist, a third of the start-up.
 *   The program declares no closure, so {@link deferClosureSerializer} loads it on first use only.
 * - `@pulumi/aws`'s index loads the index of each of its ~300 services; the program uses seven.
 *   {@link deferNamespaces} loads a service's index when the program first reaches for it.
 * - Every promise and resource the runtime creates records `new Error().stack` (for leak reports
 *   and source positions the renderer never reads); with source maps on (tsx turns them on) each
 *   is mapped back to TypeScript. The preview prints messages, never stacks: it records none.
 * - The program bundles the web app with esbuild's `buildSync` once per render, and the preview
 *   renders each stack twice (preview and wiring) and runs again and again during a review:
 *   {@link cacheBundles} answers a build whose inputs did not change from memory or from
 *   `node_modules/.cache/` (see `./bundle-cache.ts`), with the same bytes.
 */

import * as path from "node:path";
import { cacheBundles } from "./bundle-cache";
import { deferClosureSerializer, deferNamespaces } from "./lazy-modules";

deferClosureSerializer();
deferNamespaces("@pulumi/aws");
cacheBundles(path.resolve(__dirname, "..", "node_modules", ".cache", "native-web-sso", "bundles"));
process.setSourceMapsEnabled(false);
Error.stackTraceLimit = 0;
