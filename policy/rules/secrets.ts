/** Policies on secrets: they reach the function only through SSM SecureString parameters. */
import * as aws from "@pulumi/aws";
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { LAMBDA_ENV, SETTINGS_PARAMETERS } from "../../app/contract";
import { at, isUnknown, known, object, show, type Known } from "../known";
import { label, TYPES } from "./common";

/** Names of SSM parameters below the settings path that hold secrets. */
export const SECRET_PARAMETER_NAMES: readonly string[] = [
  SETTINGS_PARAMETERS.clientSecret,
  SETTINGS_PARAMETERS.cookieSecret,
  SETTINGS_PARAMETERS.previousCookieSecret,
];

/** Environment variable names that look like secrets. */
export const SECRET_LIKE_NAME = /secret|password|passwd|token|private|key/i;
/** Environment variables the app contract declares as non-secret, whatever their names look like. */
export const NON_SECRET_ENV_NAMES: readonly string[] = [...Object.values(LAMBDA_ENV), "NODE_ENV"];

/** Configuration of {@link lambdaEnvironmentNoSecrets}. */
export interface SecretNamesConfig {
  /** Further environment variable names known not to hold secrets. */
  readonly allowedNames?: readonly string[];
}

/** No secret-looking environment variables on a Lambda function. */
export const lambdaEnvironmentNoSecrets: ResourceValidationPolicy = {
  name: "lambda-environment-no-secrets",
  description:
    "Secrets reach the Lambda function only through SSM SecureString parameters, never as environment variables.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedNames: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Environment variable names that look like secrets but are not",
      },
    },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (props, args, report) => {
    const p = known(props);
    const variables = object(at(p, "environment", "variables"));
    if (variables === undefined || isUnknown(variables)) return;
    const allowed = [...NON_SECRET_ENV_NAMES, ...(args.getConfig<SecretNamesConfig>().allowedNames ?? [])];
    for (const key of Object.keys(variables)) {
      if (SECRET_LIKE_NAME.test(key) && !allowed.includes(key)) {
        report(
          `Lambda function "${label(p, args.name)}" has environment variable ${key}, whose name suggests a secret: anyone who can read the function's configuration sees it. Store it as an SSM SecureString parameter below SETTINGS_PATH and read it at cold start.`,
        );
      }
    }
  }),
};

function secretHolders(resources: readonly PolicyResource[]): Map<string, string> {
  const held = new Map<string, string>();
  const add = (value: Known | undefined, holder: string): void => {
    // Short values would match by accident.
    if (typeof value === "string" && value.length >= 8) held.set(value, holder);
  };
  for (const r of resources) {
    const p = known(r.props);
    if (r.type === TYPES.parameter && at(p, "type") === "SecureString") {
      add(at(p, "value"), `the SecureString parameter "${label(p, r.name)}"`);
    } else if (r.type === TYPES.clientCredentials) {
      add(at(p, "clientSecret"), `the client secret of "${r.name}"`);
    } else if (r.type === TYPES.randomPassword) {
      add(at(p, "result"), `the generated password "${r.name}"`);
    } else if (r.type === TYPES.secretVersion) {
      add(at(p, "secretString"), `the Secrets Manager secret "${r.name}"`);
    }
  }
  return held;
}

/**
 * No Lambda environment variable carries a secret held elsewhere in the stack. Policies see
 * secrets in clear, with no mark that they are secret, so the check compares values: it works
 * whenever both values are known (an existing stack, or `pulumi up`).
 */
export const lambdaEnvironmentNoSecretValues: StackValidationPolicy = {
  name: "lambda-environment-no-secret-values",
  description:
    "No Lambda environment variable carries the value of a secret of the stack (a client secret, a generated password, a SecureString parameter).",
  enforcementLevel: "mandatory",
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    const held = secretHolders(args.resources);
    if (held.size === 0) return;
    for (const fn of args.resources.filter((r) => r.type === TYPES.function)) {
      const p = known(fn.props);
      const variables = object(at(p, "environment", "variables"));
      if (variables === undefined || isUnknown(variables)) continue;
      for (const [key, value] of Object.entries(variables)) {
        if (typeof value !== "string") continue;
        for (const [secret, holder] of held) {
          if (value.includes(secret)) {
            report(
              `Lambda function "${label(p, fn.name)}" has environment variable ${key} set to the value of ${holder}: secrets reach the function only through SSM SecureString parameters, never its environment.`,
              fn.urn,
            );
          }
        }
      }
    }
  },
};

/** The client secret and the cookie secret are stored as SecureString parameters. */
export const ssmSecretsSecureString: ResourceValidationPolicy = {
  name: "ssm-secrets-secure-string",
  description: `SSM parameters that hold secrets (${SECRET_PARAMETER_NAMES.join(", ")}) are SecureString and never set through insecureValue.`,
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.ssm.Parameter, (props, _args, report) => {
    const p = known(props);
    const name = at(p, "name");
    if (typeof name !== "string") return;
    const leaf = name.split("/").pop() ?? "";
    if (!SECRET_PARAMETER_NAMES.includes(leaf)) return;
    const type = at(p, "type");
    if (!isUnknown(type) && type !== "SecureString") {
      report(
        `SSM parameter "${name}" holds a secret but its type is ${show(type)}: use "SecureString" so it is encrypted with KMS.`,
      );
    }
    if (at(p, "insecureValue") !== undefined) {
      report(
        `SSM parameter "${name}" holds a secret in insecureValue, which is stored in clear in the stack's state: use value with type "SecureString".`,
      );
    }
  }),
};
