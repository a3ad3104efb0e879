import { describe, expect, it } from "vitest";
import { poolRandomBase64url, poolRandomBytes } from "../app/random";

describe("random bytes for the hot path", () => {
  it("never hands out the same bytes twice, and a slice handed out never changes after a refill", () => {
    const seen = new Set<string>();
    const kept: Array<{ bytes: Buffer; hex: string }> = [];
    // Sizes a login draws (96 for state, nonce and verifier, 24 per nonce), over many refills.
    for (let i = 0; i < 5000; i++) {
      const bytes = poolRandomBytes(i % 2 === 0 ? 96 : 24);
      expect(bytes.length).toBe(i % 2 === 0 ? 96 : 24);
      const hex = bytes.toString("hex");
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
      if (i % 100 === 0) kept.push({ bytes, hex });
    }
    for (const { bytes, hex } of kept) expect(bytes.toString("hex")).toBe(hex);
    expect(poolRandomBytes(10_000).length).toBe(10_000);
  });

  it("hands out text and bytes from one pool without ever repeating a byte range", () => {
    const seen = new Set<string>();
    // A login's draws: three 32-byte checks as text, then a 24-byte nonce, over many refills.
    for (let i = 0; i < 4000; i++) {
      const hex =
        i % 4 === 3
          ? poolRandomBytes(24).toString("hex")
          : Buffer.from(poolRandomBase64url(32), "base64url").toString("hex");
      expect(hex).toHaveLength(i % 4 === 3 ? 48 : 64);
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
    expect(poolRandomBase64url(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(poolRandomBase64url(5000), "base64url")).toHaveLength(5000);
  });

  it("refuses a count that would hand bytes out twice or stall the pool", () => {
    for (const bad of [-8, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => poolRandomBytes(bad), String(bad)).toThrow(RangeError);
      expect(() => poolRandomBase64url(bad), String(bad)).toThrow(RangeError);
    }
    const a = poolRandomBytes(8).toString("hex");
    expect(poolRandomBytes(8).toString("hex")).not.toBe(a);
  });
});
