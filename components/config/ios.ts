/** Section: the iOS identity of the native app (callbacks, apple-app-site-association). */
import { setCommand } from "./keys";
import type { ConfigReader } from "./reader";

/** iOS identity of the native app (drives callbacks and apple-app-site-association). */
export interface IosSettings {
  /** Apple Developer Team ID, ten upper-case letters or digits. */
  readonly teamId: string;
  /** The app's bundle identifier, reverse-DNS. */
  readonly bundleId: string;
  /** Use `https://` universal-link callbacks instead of the `{bundleId}://` custom scheme. */
  readonly universalLinks: boolean;
}

const IOS_TEAM_ID = /^[A-Z0-9]{10}$/;
// Apple: alphanumerics, hyphens and periods; at least two components. It must also start with a
// letter, because Auth0.swift uses it as the URL scheme of the callback.
const IOS_BUNDLE_ID = /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+$/;

/** The iOS identity, whether any of its keys is set, and whether it is usable. */
export interface IosSection {
  /** `undefined` when unset or invalid. */
  readonly ios?: IosSettings;
  /** Team ID or bundle ID set (valid or not). */
  readonly configured: boolean;
}

/** Reads `iosTeamId` and `iosBundleId` (both or neither) and `iosUniversalLinks`. */
export function readIos(r: ConfigReader): IosSection {
  const teamId = r.string("iosTeamId");
  const bundleId = r.string("iosBundleId");
  const universalLinks = r.boolean("iosUniversalLinks");
  if (teamId === "" && bundleId === "") return { configured: false };
  let ok = true;
  if (!IOS_TEAM_ID.test(teamId)) {
    ok = false;
    r.problem(
      "iosTeamId",
      teamId,
      "expected the 10-character Apple Team ID, e.g. ABCDE12345 (upper-case letters and digits)",
      `${setCommand("iosTeamId", "<Team ID>")} (Apple Developer account, Membership details)`,
    );
  }
  if (!IOS_BUNDLE_ID.test(bundleId) || bundleId.length > 155) {
    ok = false;
    r.problem(
      "iosBundleId",
      bundleId,
      "expected a reverse-DNS bundle identifier such as com.example.app (letters, digits, hyphens, dots; starting with a letter, as it is also the callback URL scheme)",
      setCommand("iosBundleId", "<the app's bundle identifier>"),
    );
  }
  return { ios: ok ? { teamId, bundleId, universalLinks } : undefined, configured: true };
}
