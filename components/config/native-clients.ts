/** Section: whether the iOS and the Android app share one native client or each have their own. */
import { setCommand } from "./keys";
import type { ConfigReader } from "./reader";

/** How the native apps map to Auth0 clients. */
export const NATIVE_CLIENT_LAYOUTS = ["shared", "per-platform"] as const;
/**
 * `shared`: one native client for iOS and Android. `per-platform`: one more native client per
 * configured platform, each with only its own identity; the shared one stays, for apps already shipped.
 */
export type NativeClientLayout = (typeof NATIVE_CLIENT_LAYOUTS)[number];

/** The native client layout. */
export interface NativeClientSettings {
  readonly nativeClients: NativeClientLayout;
}

/** Reads `nativeClients`. */
export function readNativeClients(r: ConfigReader): NativeClientSettings {
  const value = r.string("nativeClients");
  if ((NATIVE_CLIENT_LAYOUTS as readonly string[]).includes(value)) {
    return { nativeClients: value as NativeClientLayout };
  }
  r.problem(
    "nativeClients",
    value,
    `expected "shared" (one native client for iOS and Android) or "per-platform" (also one native client per configured platform)`,
    setCommand("nativeClients", "shared"),
  );
  return { nativeClients: "shared" };
}
