import { describe, expect, it } from "vitest";
import { createCookieSealer } from "../app/sealed-cookies";
import { ABSOLUTE_LIFETIME_S, IDLE_LIFETIME_S, openSession, sealSession } from "../app/session";

const SECRET = "session-test-secret-0123456789abcdef";
const NOW = 1_900_000_000;
const alice = { sub: "auth0|alice", name: "Alice Example" };

describe("the session cookie", () => {
  it("lasts a day from the last visit and a week at most", () => {
    const sealer = createCookieSealer(SECRET);
    const { sealed, maxAge } = sealSession(sealer, alice, NOW);
    expect(maxAge).toBe(IDLE_LIFETIME_S);
    expect(openSession(sealer, sealed, NOW + IDLE_LIFETIME_S - 1)?.user).toEqual(alice);
    expect(openSession(sealer, sealed, NOW + IDLE_LIFETIME_S + 1)).toBeUndefined();
    // A visit renews it, but never past a week from sign-in.
    const late = NOW + ABSOLUTE_LIFETIME_S - 3600;
    const renewed = sealSession(sealer, alice, late, NOW);
    expect(renewed.maxAge).toBe(3600);
    expect(openSession(sealer, renewed.sealed, NOW + ABSOLUTE_LIFETIME_S + 1)).toBeUndefined();
  });

  it("ends with the tenant's session (session_expiry, 30 s early)", () => {
    const sealer = createCookieSealer(SECRET);
    const user = { ...alice, sessionExpiresAt: NOW + 600 };
    const { sealed, maxAge } = sealSession(sealer, user, NOW);
    expect(maxAge).toBe(570);
    expect(openSession(sealer, sealed, NOW + 569)?.user.sub).toBe(alice.sub);
    expect(openSession(sealer, sealed, NOW + 571)).toBeUndefined();
  });

  it("is renewed with the current secret after a quarter of an hour, and refuses tampering", () => {
    const before = createCookieSealer("the-secret-before-rotation-0123456789");
    const { sealed } = sealSession(before, alice, NOW);
    const after = createCookieSealer(SECRET, "the-secret-before-rotation-0123456789");
    const early = openSession(after, sealed, NOW + 60);
    expect(early?.renewed).toBeUndefined();
    const opened = openSession(after, sealed, NOW + 16 * 60);
    expect(opened?.renewed).toBeDefined();
    const alone = createCookieSealer(SECRET);
    expect(openSession(alone, opened?.renewed?.sealed, NOW + 16 * 60)?.user).toEqual(alice);
    expect(openSession(alone, sealed, NOW + 60)).toBeUndefined();
    const tampered = sealed.slice(0, -3) + (sealed.endsWith("A") ? "BBB" : "AAA");
    expect(openSession(after, tampered, NOW + 60)).toBeUndefined();
  });
});
