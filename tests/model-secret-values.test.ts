import { describe, expect, it } from "vitest";
import { ArchiveValue, reveal, Secret, secretTexts, Unknown, type ModelValue } from "../model/rendered.js";

// How the rendered stack's secrets are unwrapped (`reveal`) and found (`secretTexts`), the two
// helpers every leak test and the local tenant rely on.

const archive = new ArchiveValue("ab".repeat(32), { "index.mjs": { bytes: 10, sha256: "cd".repeat(32) } });

describe("reveal", () => {
  it("unwraps secrets nested in objects and arrays, keeping the shape", () => {
    const value: ModelValue = {
      a: new Secret("s1"),
      b: [new Secret({ c: new Secret(2) })],
      d: null,
      e: "plain",
    };
    expect(reveal(value)).toEqual({ a: "s1", b: [{ c: 2 }], d: null, e: "plain" });
  });

  it("returns a new object rather than the rendered one, which stays wrapped", () => {
    const inner = new Secret("s");
    const value: Record<string, ModelValue> = { a: inner };
    const revealed = reveal(value);
    expect(revealed).not.toBe(value);
    expect(value.a).toBe(inner);
  });

  it("keeps unknowns and archives as they are, not as plain objects", () => {
    expect(reveal(Unknown.instance)).toBe(Unknown.instance);
    expect(reveal(archive)).toBe(archive);
    const revealed = reveal({ u: Unknown.instance, code: new Secret(archive) }) as Record<string, ModelValue>;
    expect(revealed.u).toBe(Unknown.instance);
    expect(revealed.code).toBe(archive);
  });

  it("returns scalars and null unchanged", () => {
    for (const v of [null, true, 0, "", "x"]) expect(reveal(v)).toBe(v);
  });
});

describe("secretTexts", () => {
  it("finds nothing in a value without secrets, even called twice", () => {
    expect(secretTexts({ a: "public", b: [1, true, null] })).toEqual([]);
    expect(secretTexts("public")).toEqual([]);
  });

  it("finds every non-empty scalar under a secret, however deep", () => {
    const value: ModelValue = {
      open: "public",
      key: new Secret("k1"),
      list: [new Secret({ deep: ["k2", 3, false] })],
    };
    expect(secretTexts(value).sort()).toEqual(["3", "false", "k1", "k2"]);
  });

  it("does not report an empty or null secret as text", () => {
    expect(secretTexts(new Secret(""))).toEqual([]);
    expect(secretTexts(new Secret(null))).toEqual([]);
    expect(secretTexts(new Secret({ a: null, b: "" }))).toEqual([]);
  });

  it("does not look inside unknowns or archives, which carry no secret text", () => {
    expect(secretTexts(new Secret(Unknown.instance))).toEqual([]);
    expect(secretTexts(new Secret(archive))).toEqual([]);
    expect(secretTexts([new Secret({ code: archive })])).toEqual([]);
  });
});
