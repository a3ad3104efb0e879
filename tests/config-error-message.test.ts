/**
 * A configuration error reads the same under the Pulumi CLI as offline. The CLI's Node.js host
 * (`@pulumi/pulumi/cmd/run/run.js`, its uncaught-error handler) prints a `RunError` by its message
 * only and any other error with `util.inspect`, which dumps the error's own fields.
 */
import { inspect } from "node:util";
import { RunError } from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../components/config";

const problem = {
  key: "native-web-sso:deviceBinding",
  found: '"bogus"',
  expected: 'expected "asn" or "ip"',
  fix: "pulumi config set native-web-sso:deviceBinding asn",
};

describe("ConfigError", () => {
  it("is a RunError, so the CLI's host prints its message and no object dump", () => {
    const error = new ConfigError("dev", [problem]);
    expect(RunError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'Invalid configuration for stack "dev" (1 problem):\n' +
        '  - native-web-sso:deviceBinding: got "bogus"; expected "asn" or "ip". ' +
        "Fix: pulumi config set native-web-sso:deviceBinding asn",
    );
  });

  it("keeps Error.stack a stack trace that starts with the sentence", () => {
    const error = new ConfigError("dev", [problem]);
    expect(error.stack).toMatch(/^ConfigError: Invalid configuration for stack "dev"/);
    expect(error.stackName).toBe("dev");
    // What the host's fallback printer shows starts with the sentence, not `[dev] { problems: ...`.
    expect(inspect(error)).toMatch(/^ConfigError: Invalid configuration for stack "dev"/);
  });
});
