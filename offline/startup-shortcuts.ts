/**
 * The offline preview's start-up shortcuts, by name, and which of them `NATIVE_WEB_SSO_PLAIN_START`
 * turns off. `./startup.ts` applies them and says why each exists; importing this module applies none.
 */

import * as path from "node:path";
import { cacheBundles } from "./bundle-cache";
import { deferClosureSerializer, deferNamespaces } from "./sdk-internals";

/** The start-up's shortcuts, by the name `NATIVE_WEB_SSO_PLAIN_START` turns them off with. */
export const SHORTCUTS = {
  "closure-serializer": () => deferClosureSerializer(),
  "aws-namespaces": () => deferNamespaces("@pulumi/aws"),
  "bundle-cache": () =>
    cacheBundles(path.resolve(__dirname, "..", "node_modules", ".cache", "native-web-sso", "bundles")),
  "stack-traces": () => {
    process.setSourceMapsEnabled(false);
    Error.stackTraceLimit = 0;
  },
} as const;

/** The shortcut names `plain` (the variable's value) turns off; throws on a name it does not know. */
export function turnedOff(plain: string | undefined): ReadonlySet<string> {
  const names = (plain ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  if (names.includes("all")) return new Set(Object.keys(SHORTCUTS));
  for (const n of names) {
    if (!(n in SHORTCUTS)) {
      throw new Error(
        `NATIVE_WEB_SSO_PLAIN_START: "${n}" is not a start-up shortcut; use all or any of ${Object.keys(SHORTCUTS).join(", ")}`,
      );
    }
  }
  return new Set(names);
}
