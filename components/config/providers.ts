/**
 * What the installed provider SDKs say about their own configuration, read from the packages
 * themselves so nothing here is typed by hand and an upgrade brings its keys along:
 *
 * - the keys of `aws:`, `auth0:` and `random:`: the `export declare const <key>` of each SDK's
 *   `config/vars.d.ts`, which pulumi-language-nodejs generates from the provider's schema (a
 *   provider without config, as `@pulumi/random`, ships no such file), with the environment
 *   variable each doc comment names ("It can also be sourced from the `AUTH0_CLIENT_SECRET`
 *   environment variable");
 * - the AWS regions: `@pulumi/aws`'s `Region` enum;
 * - the regions Auth0 can stream logs to EventBridge in: the documented values of
 *   `LogStreamSink.awsRegion` in `@pulumi/auth0`'s `types/input.d.ts`.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Region } from "@pulumi/aws/types/enums";

/** The providers whose keys a stack file may set, by namespace, with their SDK package. */
export const PROVIDER_PACKAGES = {
  aws: "@pulumi/aws",
  auth0: "@pulumi/auth0",
  random: "@pulumi/random",
} as const;

/** A provider namespace. */
export type ProviderNamespace = keyof typeof PROVIDER_PACKAGES;

/** One configuration key of a provider, as its SDK declares it. */
export interface ProviderKey {
  /** The key without its namespace, e.g. `clientSecret`. */
  readonly name: string;
  /** The environment variable the provider also reads the value from, when its docs name one. */
  readonly envVar?: string;
}

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

const keysCache = new Map<ProviderNamespace, readonly ProviderKey[]>();

/** The configuration keys of a provider, from its SDK's `config/vars.d.ts` (none without one). */
export function providerKeys(ns: ProviderNamespace): readonly ProviderKey[] {
  const cached = keysCache.get(ns);
  if (cached) return cached;
  const file = packageFile(PROVIDER_PACKAGES[ns], path.join("config", "vars.d.ts"));
  const keys: ProviderKey[] = [];
  if (existsSync(file)) {
    // Each key: an optional doc comment, then `export declare const <name>: <type>;`.
    const declaration = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?export declare const (\w+):/g;
    for (const m of readFileSync(file, "utf8").matchAll(declaration)) {
      const envVar = /sourced from the `([A-Z0-9_]+)` environment variable/.exec(m[1] ?? "")?.[1];
      keys.push(envVar === undefined ? { name: m[2] } : { name: m[2], envVar });
    }
  }
  keysCache.set(ns, keys);
  return keys;
}

/** Every AWS region the installed `@pulumi/aws` knows. */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

let eventBridgeRegions: readonly string[] | undefined;

/**
 * The AWS regions an Auth0 log stream of type `eventbridge` can deliver to, as `@pulumi/auth0`
 * documents `LogStreamSink.awsRegion` ("Possible values: `ap-east-1`, ...").
 * @throws Error when the installed package no longer documents them so (an upgrade to check).
 */
export function auth0EventBridgeRegions(): readonly string[] {
  if (eventBridgeRegions) return eventBridgeRegions;
  const file = packageFile(PROVIDER_PACKAGES.auth0, path.join("types", "input.d.ts"));
  const text = readFileSync(file, "utf8");
  const sink = text.slice(text.indexOf("export interface LogStreamSink {"));
  const doc =
    /The region in which the EventBridge event source will be created\. Possible values: ([^\n]*)/.exec(sink);
  const regions = [...(doc?.[1] ?? "").matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]);
  if (regions.length === 0) {
    throw new Error(`${file} no longer lists the EventBridge regions of LogStreamSink.awsRegion`);
  }
  eventBridgeRegions = regions;
  return regions;
}
