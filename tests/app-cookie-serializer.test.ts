import { generateCookie } from "hono/cookie";
import { describe, expect, it } from "vitest";
import { cookieSerializer, type CookieOptions } from "../app/cookie-names";
import { createCookieSealer } from "../app/sealed-cookies";
import { formEncode } from "../app/oidc";

const OPTIONS: CookieOptions[] = [
  { path: "/", httpOnly: true, secure: true, sameSite: "Lax", prefix: "host" },
  { path: "/", httpOnly: true, secure: false, sameSite: "Lax" },
  { path: "/", httpOnly: true, secure: true, sameSite: "Lax", prefix: "host", maxAge: 3600 },
  { path: "/app", secure: true, sameSite: "Strict", prefix: "secure", maxAge: 0 },
];

/** Every printable ASCII character and a few beyond, alone and in runs. */
const AWKWARD_VALUES = [
  "",
  "plain",
  ...Array.from({ length: 95 }, (_, i) => `a${String.fromCharCode(0x20 + i)}b`),
  "é",
  "😀",
  "a;b=c, d",
];

describe("a cookie serialised from its per-process template", () => {
  it("is byte for byte what Hono's generateCookie writes, for sealed values and for any other value", () => {
    const sealer = createCookieSealer("cookie-serializer-test-secret-0123");
    const sealed = Array.from({ length: 200 }, (_, i) =>
      sealer.seal({ s: `state-${i}`, r: "/".repeat(i % 7) }, 2_000_000_000),
    );
    for (const options of OPTIONS) {
      const serialize = cookieSerializer("auth_verification", options);
      for (const value of [...sealed, ...AWKWARD_VALUES]) {
        expect(serialize(value)).toBe(generateCookie("auth_verification", value, options));
      }
    }
  });

  it("keeps Hono's checks, at build time: an invalid name or a __Host- cookie off Path=/ is refused", () => {
    expect(() => cookieSerializer("bad name", { path: "/" })).toThrow(/Invalid cookie name/);
    expect(() => cookieSerializer("__Host-x", { secure: true, path: "/app" })).toThrow(/Path/);
  });
});

describe("form-encoding one authorization parameter", () => {
  it("is what URLSearchParams writes, for every ASCII character, runs of them and base64url", () => {
    const values = [
      ...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)),
      ...AWKWARD_VALUES,
      "stt_0123456789abcdefghijklmnopqrstuvwxyz-_.",
      "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    ];
    for (const value of values) {
      expect(formEncode(value)).toBe(new URLSearchParams({ v: value }).toString().slice(2));
    }
  });
});
