/**
 * The one rule for what a web app's host and URLs may be (`model/web-urls.ts`), branch by branch:
 * each row is a value and the exact problem the rule names for it, so a change of any branch, of
 * any message or of any pattern's anchors fails a row.
 */
import { describe, expect, it } from "vitest";
import {
  hostProblem,
  isLoopbackHost,
  loginUriProblem,
  webOriginProblem,
  webUrlProblem,
} from "../model/web-urls";

describe("isLoopbackHost", () => {
  it.each([
    ["localhost", true],
    ["LOCALHOST", true],
    ["shop.localhost", true],
    ["127.0.0.1", true],
    ["127.255.10.200", true],
    ["[::1]", true],
    ["::1", true],
    ["0.0.0.0", true],
    // Anchored patterns: these only contain or resemble a loopback address.
    ["x127.0.0.1", false],
    ["127.0.0.1.example.com", false],
    ["127.0.0", false],
    ["127.1000.0.1", false],
    ["localhost.example.com", false],
    ["mylocalhost", false],
    ["shop.example.com", false],
    ["10.0.0.1", false],
  ])("%s → %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe("hostProblem", () => {
  const FQDN = "expected a fully qualified host name such as login.example.com";
  const IP = "expected a host name, not an IP address";
  it.each([
    ["login.example.com", undefined],
    ["a-b.example.co", undefined],
    ["x".repeat(63) + ".example.com", undefined],
    ["", "expected a host name"],
    ["https://login.example.com", "expected a bare host name without a scheme (drop https://)"],
    ["git+ssh://login.example.com", "expected a bare host name without a scheme (drop https://)"],
    ["login.example.com/https://x", "expected a bare host name without port, path, credentials or spaces"],
    ["localhost", "localhost and loopback addresses (127.x, ::1) are not reachable from phones"],
    ["127.0.0.1", "localhost and loopback addresses (127.x, ::1) are not reachable from phones"],
    ["[2001:db8::1]", IP],
    ["2001:db8::1", IP],
    // Bracketed as in a URL, whatever it holds.
    ["[shop.example.com]", IP],
    ["fe80::1", IP],
    ["login.example.com:8443", "expected a bare host name without port, path, credentials or spaces"],
    ["login.example.com/x", "expected a bare host name without port, path, credentials or spaces"],
    ["user@login.example.com", "expected a bare host name without port, path, credentials or spaces"],
    ["login example.com", "expected a bare host name without port, path, credentials or spaces"],
    ["Login.Example.com", "expected a lower-case host name"],
    [
      `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.example.com`,
      "expected at most 253 characters",
    ],
    // 253 characters, the longest a DNS name may be, and one more.
    [`${"a".repeat(62)}.${"b".repeat(61)}.${"c".repeat(61)}.${"d".repeat(63)}.io`, undefined],
    [
      `${"a".repeat(63)}.${"b".repeat(61)}.${"c".repeat(61)}.${"d".repeat(63)}.io`,
      "expected at most 253 characters",
    ],
    ["10.0.0.1", IP],
    ["shop.1a", undefined],
    ["shop.a1", undefined],
    ["shop.123", IP],
    ["shop", FQDN],
    ["-shop.example.com", FQDN],
    ["shop-.example.com", FQDN],
    ["sh_op.example.com", FQDN],
    [`${"x".repeat(64)}.example.com`, FQDN],
    ["shop..example.com", FQDN],
  ])("%j → %j", (host, problem) => {
    expect(hostProblem(host)).toBe(problem);
  });
});

describe("webUrlProblem", () => {
  it.each([
    ["https://shop.example.com/login", false, undefined],
    ["https://shop.example.com:8443/callback?x=1", true, undefined],
    ["https://*.shop.example.com/callback", false, undefined],
    [undefined, false, "expected an https URL"],
    ["  ", false, "expected an https URL"],
    [
      "shop.example.com/login",
      false,
      "expected an absolute https URL such as https://shop.example.com/login",
    ],
    ["http://shop.example.com/login", false, "expected https (Auth0 accepts no other scheme for a web app)"],
    ["https://Shop.example.com/login", false, "expected a lower-case host name"],
    ["https://user:pw@shop.example.com/login", false, "expected a URL without credentials"],
    ["https://user@shop.example.com/login", false, "expected a URL without credentials"],
    ["https://:pw@shop.example.com/login", false, "expected a URL without credentials"],
    // Only the host is checked for case: credentials in upper case are refused as credentials.
    ["https://User@shop.example.com/login", false, "expected a URL without credentials"],
    ["https://shop.example.com/login#top", false, "expected a URL without a #fragment"],
    [
      "https://*.shop.example.com/callback",
      true,
      "expected an exact host: production stacks allow no wildcards",
    ],
    [
      "https://localhost/login",
      false,
      "localhost and loopback addresses (127.x, ::1) are not reachable from phones (in the URL)",
    ],
    [
      "https://shop/login",
      false,
      "expected a fully qualified host name such as login.example.com (in the URL)",
    ],
  ])("%j (production %s) → %j", (value, production, problem) => {
    expect(webUrlProblem(value, production)).toBe(problem);
  });
});

describe("loginUriProblem and webOriginProblem", () => {
  it("refuses a wildcard login URI in every stack, with the reason that holds in every stack", () => {
    expect(loginUriProblem("https://shop.example.com/login")).toBeUndefined();
    expect(loginUriProblem("https://*.example.com/login")).toBe(
      "expected an exact host: the native app opens this URL, and a wildcard names no host",
    );
    expect(loginUriProblem("http://shop.example.com/login")).toBe(
      "expected https (Auth0 accepts no other scheme for a web app)",
    );
  });

  it("accepts an origin only", () => {
    expect(webOriginProblem("https://shop.example.com", true)).toBeUndefined();
    expect(webOriginProblem("https://shop.example.com:8443", true)).toBeUndefined();
    const originOnly =
      "expected an origin only: https://host or https://host:port, no path, no trailing slash";
    expect(webOriginProblem("https://shop.example.com/", true)).toBe(originOnly);
    expect(webOriginProblem("https://shop.example.com/app", true)).toBe(originOnly);
    expect(webOriginProblem("https://*.example.com", true)).toBe(
      "expected an exact host: production stacks allow no wildcards",
    );
  });
});
