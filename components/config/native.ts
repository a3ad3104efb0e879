/** Section: the native app's platform identities; it needs at least one. */
import { readAndroid, type AndroidSettings } from "./android";
import { readIos, type IosSettings } from "./ios";
import { configKey } from "./keys";
import type { ConfigReader } from "./reader";

/** The native app's platform identities; at least one is set. */
export interface NativeIdentities {
  readonly ios?: IosSettings;
  readonly android?: AndroidSettings;
}

/** Reads the iOS and the Android identity and requires one of them. */
export function readNativeIdentities(r: ConfigReader): NativeIdentities {
  const ios = readIos(r);
  const android = readAndroid(r);
  if (!ios.configured && !android.configured) {
    const [teamId, bundleId] = [configKey("iosTeamId"), configKey("iosBundleId")];
    const [packageName, fingerprints] = [
      configKey("androidPackageName"),
      configKey("androidSha256CertFingerprints"),
    ];
    r.problem(
      "iosBundleId",
      undefined,
      `the native app needs an iOS identity (${teamId} + ${bundleId}), an Android identity (${packageName} + ${fingerprints}), or both`,
      `pulumi config set ${teamId} <Team ID> and pulumi config set ${bundleId} <bundle ID>, or set ${packageName} and ${fingerprints}`,
    );
  }
  return { ios: ios.ios, android: android.android };
}
