/**
 * The keys of the post-login Action that time-boxes transferred sessions: unset, the stack declares
 * no Action; set, they are checked against Auth0's documented limits, and every problem names the
 * key, the value and the fix.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, TRANSFERRED_SESSION_LIMITS, type RawConfig } from "../components/config";

const BASE: RawConfig = {
  "auth0:domain": "acme-dev.eu.auth0.com",
  "aws:region": "eu-west-1",
  "native-web-sso:iosTeamId": "ABCDE12345",
  "native-web-sso:iosBundleId": "com.acme.shop",
};
const LIFETIME = "native-web-sso:transferredSessionLifetime";
const IDLE = "native-web-sso:transferredSessionIdleLifetime";
const REFUSE = "native-web-sso:transferredSessionRefuseUndeclared";

function problems(overrides: RawConfig): string {
  try {
    parseConfig("dev", { ...BASE, ...overrides });
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("the transferred session keys", () => {
  it("declare no Action when none is set, or when the lifetimes are 0", () => {
    expect(parseConfig("dev", BASE).transferredSessions).toBeUndefined();
    expect(
      parseConfig("dev", { ...BASE, [LIFETIME]: "0", [IDLE]: "0", [REFUSE]: "false" }).transferredSessions,
    ).toBeUndefined();
  });

  it("give the Action the lifetimes that are set, and the refusal switch", () => {
    expect(parseConfig("dev", { ...BASE, [LIFETIME]: "3600", [IDLE]: "900" }).transferredSessions).toEqual({
      lifetimeSeconds: 3600,
      idleLifetimeSeconds: 900,
      refuseUndeclared: false,
    });
    expect(parseConfig("dev", { ...BASE, [IDLE]: "600" }).transferredSessions).toEqual({
      lifetimeSeconds: undefined,
      idleLifetimeSeconds: 600,
      refuseUndeclared: false,
    });
    expect(parseConfig("dev", { ...BASE, [REFUSE]: "true" }).transferredSessions).toEqual({
      lifetimeSeconds: undefined,
      idleLifetimeSeconds: undefined,
      refuseUndeclared: true,
    });
  });

  it("accept Auth0's limits exactly: one minute to 365 days, idle up to 100 days", () => {
    const max = parseConfig("dev", {
      ...BASE,
      [LIFETIME]: String(TRANSFERRED_SESSION_LIMITS.maxLifetimeSeconds),
      [IDLE]: String(TRANSFERRED_SESSION_LIMITS.maxIdleLifetimeSeconds),
    }).transferredSessions;
    expect(max).toMatchObject({ lifetimeSeconds: 31_536_000, idleLifetimeSeconds: 8_640_000 });
    expect(parseConfig("dev", { ...BASE, [LIFETIME]: "60", [IDLE]: "60" }).transferredSessions).toMatchObject(
      {
        lifetimeSeconds: 60,
        idleLifetimeSeconds: 60,
      },
    );
  });

  it("refuse a lifetime past Auth0's limit, naming the key, the value and the fix", () => {
    const message = problems({ [LIFETIME]: "31536001", [IDLE]: "8640001" });
    expect(message).toContain(`${LIFETIME}: got "31536001"; expected a whole number from 0 to 31536000`);
    expect(message).toContain(`${IDLE}: got "8640001"; expected a whole number from 0 to 8640000`);
    expect(message).toContain(`Fix: pulumi config set ${LIFETIME} 0`);
  });

  it("refuse less than a minute, a negative or a fractional lifetime, and a switch that is not a boolean", () => {
    const message = problems({ [LIFETIME]: "59", [IDLE]: "-5", [REFUSE]: "yes" });
    expect(message).toContain(`${LIFETIME}: got 59; expected 0 (no limit) or at least 60 seconds`);
    expect(message).toContain(`Fix: pulumi config set ${LIFETIME} 60`);
    expect(message).toContain(`${IDLE}: got "-5"`);
    expect(message).toContain(`${REFUSE}: got "yes"; expected true or false`);
    expect(problems({ [LIFETIME]: "90.5" })).toContain(`${LIFETIME}: got "90.5"`);
  });

  it("refuse an idle lifetime longer than the absolute one", () => {
    expect(problems({ [LIFETIME]: "600", [IDLE]: "900" })).toContain(
      `${IDLE}: got 900; expected at most transferredSessionLifetime (600): a session cannot stay idle longer than it lives. Fix: pulumi config set ${IDLE} 600`,
    );
  });
});
