import { describe, expect, it } from "vitest";
import {
  checkSessionTransferMethods,
  DEVICE_BINDINGS,
  isDeviceBinding,
  isNetworkDeviceBinding,
  isSessionTransferMethod,
  quoted,
  SESSION_TRANSFER_METHODS,
} from "../model/session-transfer";

describe("the session transfer vocabulary", () => {
  it("names the methods and bindings of Auth0's session_transfer block", () => {
    expect(SESSION_TRANSFER_METHODS).toEqual(["cookie", "query"]);
    expect(DEVICE_BINDINGS).toEqual(["asn", "ip", "none"]);
    expect(quoted(DEVICE_BINDINGS)).toBe('"asn", "ip", "none"');
  });

  it("recognises exactly the known values, case-sensitively", () => {
    expect(["cookie", "query", "Cookie", "header", "", 1, undefined].map(isSessionTransferMethod)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(["asn", "ip", "none", "ASN", "mac", null].map(isDeviceBinding)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(["asn", "ip", "none"].map(isNetworkDeviceBinding)).toEqual([true, true, false]);
  });

  it("accepts a method list in a stable order", () => {
    expect(checkSessionTransferMethods(["query", "cookie"])).toEqual({
      ok: true,
      methods: ["cookie", "query"],
    });
    expect(checkSessionTransferMethods(["query"])).toEqual({ ok: true, methods: ["query"] });
  });

  it("refuses an empty list, unknown methods and repeats, in that order", () => {
    expect(checkSessionTransferMethods([])).toEqual({ ok: false, kind: "empty" });
    expect(checkSessionTransferMethods(["cookie", "header", "header", 7])).toEqual({
      ok: false,
      kind: "unknown",
      unknown: ["header", "header", 7],
    });
    expect(checkSessionTransferMethods(["query", "query"])).toEqual({ ok: false, kind: "repeated" });
  });
});
