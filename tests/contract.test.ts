import { describe, expect, it } from "vitest";
import { LAMBDA_HANDLER, BUNDLE_FILE, SETTINGS_PARAMETERS } from "../app/contract";

describe("stack/app contract", () => {
  it("names the handler after the bundle file", () => {
    expect(LAMBDA_HANDLER.split(".")[0] + ".js").toBe(BUNDLE_FILE);
  });
  it("uses distinct parameter names", () => {
    const names = Object.values(SETTINGS_PARAMETERS);
    expect(new Set(names).size).toBe(names.length);
  });
});
