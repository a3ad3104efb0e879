/**
 * The policies of the `native-web-sso` pack, as plain policy objects, one module per concern. The
 * pack's entry file (`policy/index.ts`) only wraps them in a `PolicyPack`; tests and the offline
 * evaluator import this module, which starts no server.
 *
 * Every rule reads properties through `known` (`../known.ts`): a value that is unknown during a
 * preview is skipped by the one check that needs it (see `known.ts` for why that is safe).
 *
 * A new policy goes into the module of its concern (or a new one) and into {@link policies}.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { actionRuntimeAndSecrets, postLoginFlowNotOwned } from "./actions";
import {
  auth0ClientsProtected,
  nativeClientSessionTransfer,
  sessionTransferDeviceBinding,
  sessionTransferDeviceBindingOutsideProduction,
  webClientRedirectUrls,
  webClientSessionTransfer,
} from "./auth0-clients";
import {
  lambdaRoleLeastPrivilege,
  lambdaRoleOwnResources,
  lambdaRolePermissionsBoundary,
} from "./function-role";
import { apiStageAccessLogging, logGroupRetention } from "./logs";
import {
  lambdaEnvironmentNoSecrets,
  lambdaEnvironmentNoSecretValues,
  ssmSecretsSecureString,
} from "./secrets";
import { spaClientOrigins } from "./spa-client";

export { actionRuntimeAndSecrets, postLoginFlowNotOwned } from "./actions";
export {
  auth0ClientsProtected,
  nativeClientSessionTransfer,
  sessionTransferDeviceBinding,
  sessionTransferDeviceBindingOutsideProduction,
  webClientRedirectUrls,
  webClientSessionTransfer,
} from "./auth0-clients";
export { isProductionUrn, stackOfUrn, TYPES } from "./common";
export {
  ALLOWED_ACTIONS,
  lambdaRoleLeastPrivilege,
  lambdaRoleOwnResources,
  lambdaRolePermissionsBoundary,
} from "./function-role";
export { policyStatements, type PolicyStatement } from "./iam";
export { apiStageAccessLogging, logGroupRetention } from "./logs";
export {
  lambdaEnvironmentNoSecrets,
  lambdaEnvironmentNoSecretValues,
  NON_SECRET_ENV_NAMES,
  SECRET_LIKE_NAME,
  SECRET_PARAMETER_NAMES,
  ssmSecretsSecureString,
  type SecretNamesConfig,
} from "./secrets";
export { SPA_GRANT_TYPES, spaClientOrigins } from "./spa-client";

/** Name of the pack, as `pulumi preview` reports it. */
export const PACK_NAME = "native-web-sso";
/** Enforcement of every policy unless a stack's policy config says otherwise. */
export const PACK_ENFORCEMENT: EnforcementLevel = "mandatory";

/** Every policy of the pack, in the order they are reported. */
export const policies: Policies = [
  nativeClientSessionTransfer,
  sessionTransferDeviceBinding,
  sessionTransferDeviceBindingOutsideProduction,
  webClientSessionTransfer,
  webClientRedirectUrls,
  spaClientOrigins,
  auth0ClientsProtected,
  postLoginFlowNotOwned,
  actionRuntimeAndSecrets,
  lambdaEnvironmentNoSecrets,
  lambdaEnvironmentNoSecretValues,
  ssmSecretsSecureString,
  lambdaRoleLeastPrivilege,
  lambdaRoleOwnResources,
  lambdaRolePermissionsBoundary,
  apiStageAccessLogging,
  logGroupRetention,
];
