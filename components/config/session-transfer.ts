/** Section: how the web client accepts session transfer tokens, and what they are bound to. */
import {
  checkSessionTransferMethods,
  DEVICE_BINDINGS,
  isDeviceBinding,
  NETWORK_DEVICE_BINDINGS,
  quoted,
  SESSION_TRANSFER_METHODS,
  type DeviceBinding,
  type SessionTransferMethod,
} from "../../model/session-transfer";
import { configKey, setCommand } from "./keys";
import { show } from "./problems";
import { MARK_NON_PRODUCTION } from "./production";
import type { ConfigReader } from "./reader";

/** Session transfer on both clients, and refresh tokens of the sessions it starts on the web. */
export interface SessionTransferConfig {
  /** Device binding of session transfer tokens, on both clients. */
  readonly deviceBinding: DeviceBinding;
  /** How the native app may hand the token to the web client, in a stable order. */
  readonly allowedAuthenticationMethods: readonly SessionTransferMethod[];
  /** May a web session started from a session transfer token get a refresh token? */
  readonly webAllowRefreshToken: boolean;
  /** Revoke such refresh tokens together with their session. */
  readonly webEnforceOnlineRefreshTokens: boolean;
}

const METHODS_FIX = `pulumi config rm ${configKey("allowedAuthenticationMethods")} (both methods), or list only ${quoted(SESSION_TRANSFER_METHODS)}`;

/** Reads the device binding (`none` only outside production) and the session transfer methods. */
export function readSessionTransfer(r: ConfigReader, production: boolean): SessionTransferConfig {
  const bindingRaw = r.string("deviceBinding");
  let deviceBinding: DeviceBinding = "asn";
  if (!isDeviceBinding(bindingRaw)) {
    r.problem(
      "deviceBinding",
      bindingRaw,
      `expected one of ${quoted(DEVICE_BINDINGS)} ("none" only when ${configKey("production")} is false)`,
      setCommand("deviceBinding", "asn"),
    );
  } else if (bindingRaw === "none" && production) {
    r.problem(
      "deviceBinding",
      bindingRaw,
      `"none" lets a stolen token be redeemed from anywhere and is refused in production; use ${NETWORK_DEVICE_BINDINGS.map(show).join(" or ")}`,
      `${setCommand("deviceBinding", "asn")}, or ${MARK_NON_PRODUCTION}`,
    );
  } else {
    deviceBinding = bindingRaw;
  }

  const methodsRaw = r.stringList("allowedAuthenticationMethods");
  let allowedAuthenticationMethods: readonly SessionTransferMethod[] = SESSION_TRANSFER_METHODS;
  if (methodsRaw) {
    const check = checkSessionTransferMethods(methodsRaw);
    if (check.ok) {
      allowedAuthenticationMethods = check.methods;
    } else {
      const expected =
        check.kind === "empty"
          ? `expected at least one of ${quoted(SESSION_TRANSFER_METHODS)} (an empty list turns Native to Web SSO off)`
          : check.kind === "unknown"
            ? `unknown method ${check.unknown.map(show).join(", ")}; expected only "cookie" and/or "query"`
            : "expected each method once";
      r.problem("allowedAuthenticationMethods", methodsRaw, expected, METHODS_FIX);
    }
  }

  return {
    deviceBinding,
    allowedAuthenticationMethods: [...allowedAuthenticationMethods],
    webAllowRefreshToken: r.boolean("webAllowRefreshToken"),
    webEnforceOnlineRefreshTokens: r.boolean("webEnforceOnlineRefreshTokens"),
  };
}
