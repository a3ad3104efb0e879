/** Section: the Android identity of the native app (callbacks, assetlinks.json). */
import { configKey, setCommand } from "./keys";
import type { ConfigReader } from "./reader";

/** Android identity of the native app (drives callbacks and assetlinks.json). */
export interface AndroidSettings {
  /** The application ID (package name). */
  readonly packageName: string;
  /** SHA-256 fingerprints of the signing certificates, `AA:BB:...` (32 bytes). */
  readonly sha256CertFingerprints: readonly string[];
  /** The `auth0Scheme` manifest placeholder: `https` (App Links) or a custom lower-case scheme. */
  readonly scheme: string;
}

// Android application ID: at least two segments, each starting with a letter.
const ANDROID_PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
const SHA256_FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*$/;
const JAVA_KEYWORDS = new Set([
  "class",
  "package",
  "import",
  "new",
  "int",
  "void",
  "public",
  "static",
  "final",
]);

const FINGERPRINT_FIX = `pulumi config set --path '${configKey("androidSha256CertFingerprints")}[0]' <SHA-256 fingerprint>`;

/** The Android identity, whether any of its keys is set, and whether it is usable. */
export interface AndroidSection {
  /** `undefined` when unset or invalid. */
  readonly android?: AndroidSettings;
  /** Package name or a fingerprint set (valid or not). */
  readonly configured: boolean;
}

/** Reads `androidPackageName` and `androidSha256CertFingerprints` (both or neither) and `androidScheme`. */
export function readAndroid(r: ConfigReader): AndroidSection {
  const packageName = r.string("androidPackageName");
  const fingerprints = r.stringList("androidSha256CertFingerprints");
  const scheme = r.string("androidScheme");
  if (packageName === "" && (fingerprints ?? []).length === 0) return { configured: false };
  let ok = true;
  if (!ANDROID_PACKAGE.test(packageName) || packageName.split(".").some((s) => JAVA_KEYWORDS.has(s))) {
    ok = false;
    r.problem(
      "androidPackageName",
      packageName,
      "expected an Android application ID such as com.example.app (segments start with a letter; letters, digits, underscores)",
      setCommand("androidPackageName", "<the app's applicationId>"),
    );
  }
  const normalized = (fingerprints ?? []).map((f) => f.toUpperCase());
  if (normalized.length === 0) {
    ok = false;
    r.problem(
      "androidSha256CertFingerprints",
      fingerprints ?? [],
      "expected at least one SHA-256 signing certificate fingerprint (keytool -list -v prints it)",
      FINGERPRINT_FIX,
    );
  }
  for (const f of normalized) {
    if (!SHA256_FINGERPRINT.test(f)) {
      ok = false;
      r.problem(
        "androidSha256CertFingerprints",
        f,
        "expected 32 colon-separated hex bytes, e.g. 14:6D:E9:...:B5 (95 characters)",
        FINGERPRINT_FIX,
      );
    }
  }
  if (!URL_SCHEME.test(scheme) || scheme === "http") {
    ok = false;
    r.problem(
      "androidScheme",
      scheme,
      'expected "https" (App Links) or a lower-case custom scheme; "http" is never allowed',
      setCommand("androidScheme", "https"),
    );
  }
  return {
    android: ok ? { packageName, sha256CertFingerprints: [...new Set(normalized)], scheme } : undefined,
    configured: true,
  };
}
