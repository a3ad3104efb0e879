/**
 * The mobile integration kit (`mobileKit` output): per native client, the values a mobile team
 * pastes; the README's snippets show exactly the prod stack's values under the kit names they cite
 * and call the SDK names checked in each SDK's source; and the browser tests' native app is
 * configured from the same output, so the kit and the proof cannot drift apart.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_TRANSFER_COOKIE, SESSION_TRANSFER_PARAM } from "../app/contract";
import { SDK_MINIMUM_VERSIONS } from "../components/mobile-kit";
import { readStack } from "../e2e/stack";
import { reveal, type ModelValue, type StackModel } from "../model/rendered";
import { renderStack } from "../offline/render";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};
const render = (stack: "dev" | "prod", overrides: Record<string, string> = {}) =>
  renderStack({ stack, preview: false, configOverrides: overrides, loadProgram: load });

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const plain = (v: ModelValue | undefined): Json => JSON.parse(JSON.stringify(reveal(v ?? null))) as Json;
function at(value: Json, dotted: string): Json {
  let cur: Json = value;
  for (const key of dotted.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !(key in cur)) {
      throw new Error(`no ${dotted} in the kit`);
    }
    cur = cur[key];
  }
  return cur;
}

/** The README's kit snippets by language. */
function snippets(): Record<"swift" | "kotlin" | "tsx", string> {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  const section = /### Mobile integration kit\n([\s\S]*?)\n### /.exec(readme)?.[1] ?? "";
  const block = (lang: string) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section)?.[1] ?? "";
  return { swift: block("swift"), kotlin: block("kotlin"), tsx: block("tsx") };
}

/**
 * The SDK names each snippet calls, as the SDKs' sources spell them (checked in the repositories,
 * late 2026): Auth0.swift `Auth0/CredentialsManager.swift` (`ssoCredentials`), `Auth0/SSOCredentials.swift`
 * (`sessionTransferToken`, `expiresAt`), `Auth0/Auth0WebAuth.swift` (`scope`, `useHTTPS`);
 * Auth0.Android `auth0/src/main/java/com/auth0/android/authentication/storage/CredentialsManager.kt`
 * (`awaitSsoCredentials`, `saveCredentials`), `.../result/SSOCredentials.kt` (`sessionTransferToken`),
 * `.../provider/WebAuthProvider.kt` (`login`, `withScheme`, `withScope`, `await`);
 * react-native-auth0 `src/hooks/Auth0Context.ts` (`authorize`, `getSSOCredentials`),
 * `src/types/common.ts` (`SessionTransferCredentials.sessionTransferToken`).
 */
const SDK_CALLS = {
  swift: [
    ".scope(",
    ".useHTTPS()",
    "credentialsManager.store(credentials:",
    "credentialsManager.ssoCredentials()",
    "sso.sessionTransferToken",
    "sso.expiresAt",
  ],
  kotlin: [
    "WebAuthProvider.login(account)",
    ".withScheme(",
    ".withScope(",
    ".await(context)",
    "saveCredentials(",
    "awaitSsoCredentials()",
    "sso.sessionTransferToken",
  ],
  tsx: ["useAuth0()", "authorize({ scope:", "getSSOCredentials()", "sessionTransferToken"],
} as const;

/** The steps the browser tests' native app takes, as each snippet must show them. */
const STEPS = {
  swift: [
    "mobileKit.shared.scopes",
    "mobileKit.shared.sessionTransferCookie.name",
    "mobileKit.shared.sessionTransferCookie.domain",
    "await webView.configuration.websiteDataStore.httpCookieStore.setCookie(cookie)",
    "webView.load(",
    "mobileKit.shared.webApps.web.loginUri",
  ],
  kotlin: [
    "mobileKit.shared.scopes",
    "mobileKit.shared.sessionTransferCookie.name",
    "mobileKit.shared.sessionTransferCookie.domain",
    "cookies.flush()",
    "webView.loadUrl(",
    "mobileKit.shared.webApps.web.loginUri",
  ],
  tsx: [
    "mobileKit.shared.scopes",
    "mobileKit.shared.loginQueryParameter",
    "mobileKit.shared.webApps.web.loginUri",
    "Linking.openURL(",
  ],
} as const;

describe("the mobile kit", () => {
  let prod: StackModel;
  let kit: Json;
  beforeAll(async () => {
    prod = await render("prod");
    kit = plain(prod.outputs.mobileKit);
  }, 120_000);

  it("gives each native client its domain, client ID, audience, scopes, cookie, query parameter and web apps", () => {
    const shared = at(kit, "shared");
    const domain = plain(prod.outputs.auth0Domain);
    expect(shared).toMatchObject({
      domain,
      clientId: at(plain(prod.outputs.nativeClients), "shared.clientId"),
      audience: `urn:${String(domain)}:session_transfer`,
      scopes: ["openid", "profile", "email", "offline_access"],
      sessionTransferCookie: { name: SESSION_TRANSFER_COOKIE, domain },
      loginQueryParameter: SESSION_TRANSFER_PARAM,
      callbackUrls: plain(prod.outputs.nativeRedirectUrls),
      sdkMinimumVersions: SDK_MINIMUM_VERSIONS,
    });
    expect(at(shared, "audience")).toBe(plain(prod.outputs.sessionTransferAudience));
    const webApps = plain(prod.outputs.webApps) as Record<
      string,
      { loginUri: string; sessionTransferMethods: string[] }
    >;
    expect(at(shared, "webApps")).toEqual(
      Object.fromEntries(
        Object.entries(webApps).map(([n, a]) => [
          n,
          { loginUri: a.loginUri, methods: a.sessionTransferMethods },
        ]),
      ),
    );
  });

  it("gives an iOS app with universal links its associated domain, and an https Android app its App Links host", async () => {
    const model = await render("dev", {
      "native-web-sso:nativeClients": "per-platform",
      "native-web-sso:iosUniversalLinks": "true",
      "native-web-sso:androidPackageName": "com.acme.shop",
      "native-web-sso:androidSha256CertFingerprints": JSON.stringify([
        "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5",
      ]),
    });
    const perPlatform = plain(model.outputs.mobileKit) as Record<string, Record<string, Json>>;
    const domain = String(plain(model.outputs.auth0Domain));
    expect(Object.keys(perPlatform).sort()).toEqual(["android", "ios", "shared"]);
    expect(perPlatform.ios.iosAssociatedDomain).toBe(`webcredentials:${domain}`);
    expect(perPlatform.ios.androidAppLinks).toBeUndefined();
    expect(perPlatform.android.androidAppLinks).toEqual({ scheme: "https", host: domain });
    expect(perPlatform.android.iosAssociatedDomain).toBeUndefined();
    expect(perPlatform.ios.clientId).toBe(at(plain(model.outputs.nativeClients), "ios.clientId"));
  }, 120_000);

  it("is what the README's snippets show: every literal is the prod kit value its comment names", () => {
    const all = Object.values(snippets()).join("\n");
    const cited = [...all.matchAll(/^(.*)\/\/ (mobileKit\.[\w.]+)\s*$/gm)];
    expect(cited.length).toBeGreaterThan(10);
    for (const [, line, name] of cited) {
      const value = at(kit, name.slice("mobileKit.".length));
      const shown = Array.isArray(value) ? value.join(" ") : String(value);
      expect(line, name).toContain(`"${shown}"`);
    }
  });

  it("has a snippet per platform that calls the SDK's own names and takes the simulator's steps", () => {
    const code = snippets();
    for (const lang of ["swift", "kotlin", "tsx"] as const) {
      for (const call of SDK_CALLS[lang]) expect(code[lang], `${lang}: ${call}`).toContain(call);
      for (const step of STEPS[lang]) expect(code[lang], `${lang}: ${step}`).toContain(step);
    }
    // The cookie is stored before the page loads, on both web views.
    expect(code.swift.indexOf("setCookie(cookie)")).toBeLessThan(code.swift.indexOf("webView.load("));
    expect(code.kotlin.indexOf("cookies.flush()")).toBeLessThan(code.kotlin.indexOf("webView.loadUrl("));
  });

  it("configures the browser tests' native app: the simulator's settings are the kit's", async () => {
    const dev = await render("dev");
    const shared = at(plain(dev.outputs.mobileKit), "shared");
    const app = readStack(dev).mobileApp;
    expect(app).toEqual({
      domain: at(shared, "domain"),
      clientId: at(shared, "clientId"),
      redirectUrls: at(shared, "callbackUrls"),
      scopes: at(shared, "scopes"),
      sessionTransferAudience: at(shared, "audience"),
      sessionTransferCookie: at(shared, "sessionTransferCookie"),
      loginQueryParameter: at(shared, "loginQueryParameter"),
      webLoginUri: at(shared, "webApps.web.loginUri"),
    });
  }, 120_000);
});
