import { EncryptJWT } from "jose";
import { hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCookieSealer } from "../app/sealed-cookies";

const SECRET = "sealed-cookie-test-secret-0123456789";
const PREVIOUS = "the-previous-cookie-secret-0123456789";
const NOW = 1_900_000_000;
const payload = { s: "state", n: "nonce", v: "verifier", r: "/account?tab=1" };

describe("sealed cookies", () => {
  it("open to the sealed payload until exp, and not at or after it", () => {
    const sealer = createCookieSealer(SECRET);
    const sealed = sealer.seal(payload, NOW + 60);
    expect(sealer.open(sealed, NOW)).toEqual({ ...payload, exp: NOW + 60 });
    expect(sealer.open(sealed, NOW + 59)).toBeDefined();
    expect(sealer.open(sealed, NOW + 60)).toBeUndefined();
    expect(sealer.open(sealed, NOW + 61)).toBeUndefined();
  });

  it("hide the payload and differ every time (a fresh random nonce per seal)", () => {
    const sealer = createCookieSealer(SECRET);
    const values = Array.from({ length: 100 }, () => sealer.seal(payload, NOW + 60));
    expect(new Set(values).size).toBe(100);
    for (const value of values) {
      expect(value).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      const decoded = Buffer.from(value.split(".")[1] as string, "base64url").toString("latin1");
      expect(decoded).not.toContain("verifier");
      expect(decoded).not.toContain("account");
    }
  });

  it("refuse any changed character, a truncation, a swapped key ID, junk and oversized values", () => {
    const sealer = createCookieSealer(SECRET);
    const sealed = sealer.seal(payload, NOW + 60);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = 0; i < sealed.length; i++) {
      if (sealed[i] === ".") continue;
      const other = alphabet[(alphabet.indexOf(sealed[i] as string) + 1) % alphabet.length] as string;
      const changed = sealed.slice(0, i) + other + sealed.slice(i + 1);
      // The last character of base64url may carry unused bits; a change there can decode to the same bytes.
      if (
        Buffer.from(changed.split(".")[1] as string, "base64url").equals(
          Buffer.from(sealed.split(".")[1] as string, "base64url"),
        ) &&
        changed.split(".")[0] === sealed.split(".")[0]
      )
        continue;
      expect(sealer.open(changed, NOW)).toBeUndefined();
    }
    for (const bad of [
      sealed.slice(0, -1),
      sealed.slice(0, sealed.indexOf(".") + 10),
      sealed.split(".")[1],
      `other.${sealed.split(".")[1]}`,
      "",
      ".",
      "a.b.c",
      `${sealed.split(".")[0]}.${"A".repeat(5000)}`,
      undefined,
    ]) {
      expect(sealer.open(bad, NOW)).toBeUndefined();
    }
  });

  it("open with the previous secret across a rotation and seal with the current one only", () => {
    const before = createCookieSealer(PREVIOUS);
    const sealedBefore = before.seal(payload, NOW + 60);
    const after = createCookieSealer(SECRET, PREVIOUS);
    expect(after.open(sealedBefore, NOW)).toEqual({ ...payload, exp: NOW + 60 });
    const sealedAfter = after.seal(payload, NOW + 60);
    expect(createCookieSealer(SECRET).open(sealedAfter, NOW)).toBeDefined();
    expect(before.open(sealedAfter, NOW)).toBeUndefined();
    // Two rotations later the oldest key is gone.
    expect(
      createCookieSealer("a-third-cookie-secret-0123456789", SECRET).open(sealedBefore, NOW),
    ).toBeUndefined();
  });

  it("treat a cookie of the JWE format sealed before (jose, dir + A256GCM) as no cookie", async () => {
    // What the app sealed before this format, with the same key derivation: opens as nothing, like
    // a cookie from two rotations ago (a sign-in in flight starts again, a session signs in again).
    const key = new Uint8Array(
      hkdfSync("sha256", SECRET, new Uint8Array(0), "native-web-sso cookie sealing key", 32),
    );
    const kid = Buffer.from(
      hkdfSync("sha256", SECRET, new Uint8Array(0), "native-web-sso cookie sealing key id", 6),
    ).toString("base64url");
    const jwe = await new EncryptJWT(payload)
      .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid })
      .setExpirationTime(NOW + 60)
      .encrypt(key);
    expect(createCookieSealer(SECRET).open(jwe, NOW)).toBeUndefined();
  });
});
