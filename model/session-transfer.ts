/**
 * The vocabulary of Native to Web SSO's session transfer, as Auth0's Management API spells it in a
 * client's `session_transfer` block: how a token reaches the web client (`allowed_authentication_methods`)
 * and what it is bound to when it is redeemed (`enforce_device_binding`). The config reader, the
 * components, the policy pack and the local tenant of the browser tests all take these from here.
 */

/** How a session transfer token reaches the web client's `/authorize`, in the order the stack declares them. */
export const SESSION_TRANSFER_METHODS = ["cookie", "query"] as const;
/** How a session transfer token reaches the web client's `/authorize`: a cookie on the login domain or `?session_transfer_token=`. */
export type SessionTransferMethod = (typeof SESSION_TRANSFER_METHODS)[number];

/** What a session transfer token is bound to when it is redeemed: the device's network operator, its IP address, or nothing. */
export const DEVICE_BINDINGS = ["asn", "ip", "none"] as const;
/** Device binding a session transfer token is checked against when it is redeemed. */
export type DeviceBinding = (typeof DEVICE_BINDINGS)[number];

/** The bindings that tie a token to the device's network: the only ones a production stack accepts. */
export const NETWORK_DEVICE_BINDINGS = ["asn", "ip"] as const satisfies readonly DeviceBinding[];

/** The values quoted and joined for a message: `"asn", "ip", "none"`. */
export function quoted(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** `true` for `"cookie"` and `"query"`. */
export function isSessionTransferMethod(v: unknown): v is SessionTransferMethod {
  return typeof v === "string" && (SESSION_TRANSFER_METHODS as readonly string[]).includes(v);
}

/** `true` for `"asn"`, `"ip"` and `"none"`. */
export function isDeviceBinding(v: unknown): v is DeviceBinding {
  return typeof v === "string" && (DEVICE_BINDINGS as readonly string[]).includes(v);
}

/** `true` for the bindings that tie a token to the device's network (`"asn"`, `"ip"`). */
export function isNetworkDeviceBinding(v: unknown): v is (typeof NETWORK_DEVICE_BINDINGS)[number] {
  return typeof v === "string" && (NETWORK_DEVICE_BINDINGS as readonly string[]).includes(v);
}

/** Why a list of session transfer methods is not one a web client may accept. */
export type SessionTransferMethodsProblem<T = unknown> =
  /** No method at all: Native to Web SSO is silently off. */
  | { readonly kind: "empty" }
  /** Entries that are not a method (in the order given). */
  | { readonly kind: "unknown"; readonly unknown: readonly T[] }
  /** A method named more than once. */
  | { readonly kind: "repeated" };

/** The result of {@link checkSessionTransferMethods}. */
export type SessionTransferMethodsCheck<T = unknown> =
  | { readonly ok: true; readonly methods: readonly SessionTransferMethod[] }
  | ({ readonly ok: false } & SessionTransferMethodsProblem<T>);

/**
 * Checks the methods a web client accepts: at least one, only known ones, each once. The checks are
 * made in that order and the first failing one is returned. On success the methods come back in
 * {@link SESSION_TRANSFER_METHODS}' order, so reordering a list by hand changes nothing.
 */
export function checkSessionTransferMethods<T>(given: readonly T[]): SessionTransferMethodsCheck<T> {
  if (given.length === 0) return { ok: false, kind: "empty" };
  const unknown = given.filter((m) => !isSessionTransferMethod(m));
  if (unknown.length > 0) return { ok: false, kind: "unknown", unknown };
  if (new Set(given).size !== given.length) return { ok: false, kind: "repeated" };
  return {
    ok: true,
    methods: SESSION_TRANSFER_METHODS.filter((m) => (given as readonly unknown[]).includes(m)),
  };
}
