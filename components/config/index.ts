/**
 * The stack's configuration: read, checked and typed before any resource is declared.
 *
 * One module per section reads its keys through a {@link ConfigReader} and reports each bad value
 * with its key, the value and the fix; `parseConfig` runs every section, so one run names every
 * problem at once.
 *
 * - A new key: its default in `keys.ts`, its documentation in `Pulumi.yaml` (a test checks both
 *   agree), its read and checks in the section it belongs to, its field in that section's settings.
 * - A new section: a module exporting its settings interface and `read<Section>(r: ConfigReader)`;
 *   add the interface to {@link StackConfig}'s `extends` and the call to {@link parseConfig}.
 */
import * as pulumi from "@pulumi/pulumi";
import { readEndpoint, type EndpointSettings } from "./endpoint";
import { DEFAULTS, PROJECT, type RawConfig } from "./keys";
import { readNativeIdentities, type NativeIdentities } from "./native";
import { readNativeClients, type NativeClientSettings } from "./native-clients";
import { readProduction, type ProductionSettings } from "./production";
import { readMonitoring, type MonitoringSettings } from "./monitoring";
import { ConfigReader } from "./reader";
import { readRegion, type RegionSettings } from "./region";
import { checkStackKeys } from "./stack-keys";
import { readRefreshTokens, type RefreshTokenSettings } from "./refresh-tokens";
import { readSessionTransfer, type SessionTransferConfig } from "./session-transfer";
import { readTenant, type TenantSettings } from "./tenant";
import { readTransferredSessions, type TransferredSessionSettings } from "./transferred-sessions";
import { readWebApps, type WebAppsSettings } from "./web-apps";

export type { AndroidSettings } from "./android";
export type { EndpointSettings, WebCustomDomain } from "./endpoint";
export { LOG_RETENTION_DAYS } from "./endpoint";
export { hostProblem } from "./hosts";
export type { IosSettings } from "./ios";
export { DEFAULTS, OBJECT_LIST_KEYS, PROJECT, type ProjectKey, type RawConfig } from "./keys";
export { emailProblem, type MonitoringSettings } from "./monitoring";
export type { NativeIdentities } from "./native";
export type { NativeClientLayout, NativeClientSettings } from "./native-clients";
export { ConfigError, type ConfigProblem } from "./problems";
export type { ProductionSettings } from "./production";
export { AWS_REGIONS, auth0EventBridgeRegions, PROVIDER_PACKAGES, providerKeys } from "./providers";
export type { RegionSettings } from "./region";
export { CREDENTIAL_KEYS, KNOWN_NAMESPACES } from "./stack-keys";
export { ConfigReader } from "./reader";
export { REFRESH_TOKEN_LIMITS, type RefreshTokenSettings } from "./refresh-tokens";
export type { SessionTransferConfig } from "./session-transfer";
export type { TenantSettings } from "./tenant";
export {
  TRANSFERRED_SESSION_LIMITS,
  type TransferredSessionSettings,
  type TransferredSessionsConfig,
} from "./transferred-sessions";
export type { ExternalWebApp, ExternalWebAppType, WebAppsSettings } from "./web-apps";

/** The validated configuration of one stack: every section's settings. */
export interface StackConfig
  extends
    TenantSettings,
    RegionSettings,
    ProductionSettings,
    SessionTransferConfig,
    NativeIdentities,
    NativeClientSettings,
    EndpointSettings,
    MonitoringSettings,
    WebAppsSettings,
    TransferredSessionSettings {
  /** The stack's name (`dev`, `prod`, ...). */
  readonly stack: string;
  /** Lifetimes of the native app's rotating refresh tokens. */
  readonly refreshToken: RefreshTokenSettings;
}

/**
 * Parses and validates a stack's raw configuration: every key it sets, ours and the providers'.
 * Pure: no Pulumi runtime needed.
 * @param secretKeys the keys whose values are secrets (`secure:` in the stack file)
 * @throws ConfigError listing every bad value, each with its key, the value and the fix.
 */
export function parseConfig(stack: string, raw: RawConfig, secretKeys: readonly string[] = []): StackConfig {
  const r = new ConfigReader(raw);
  checkStackKeys(r, new Set(secretKeys));
  const tenant = readTenant(r);
  const production = readProduction(r);
  const sessionTransfer = readSessionTransfer(r, production.production);
  const refreshToken = readRefreshTokens(r);
  const native = readNativeIdentities(r);
  const nativeClients = readNativeClients(r);
  const endpoint = readEndpoint(r);
  const monitoring = readMonitoring(r);
  const region = readRegion(r, monitoring.monitoring);
  const webApps = readWebApps(r, production.production, sessionTransfer.allowedAuthenticationMethods);
  const transferredSessions = readTransferredSessions(r);
  r.throwIfAny(stack);
  return {
    stack,
    ...tenant,
    ...region,
    ...production,
    ...sessionTransfer,
    refreshToken,
    ...native,
    ...nativeClients,
    ...endpoint,
    ...monitoring,
    ...webApps,
    ...transferredSessions,
  };
}

/**
 * Reads and validates the running stack's configuration through the Pulumi runtime: every key the
 * CLI hands the program (`PULUMI_CONFIG`: the stack file's keys and the project's defaults), so a
 * typo or a plain-text credential is caught under `pulumi preview` as in the offline preview.
 */
export function loadConfig(): StackConfig {
  const raw: Record<string, string | undefined> = { ...pulumi.runtime.allConfig() };
  const own = new pulumi.Config(PROJECT);
  for (const key of Object.keys(DEFAULTS)) raw[`${PROJECT}:${key}`] = own.get(key);
  // `secure:` values reach the program decrypted; the runtime knows which they were.
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean })
    .isConfigSecret;
  const secretKeys = Object.keys(raw).filter((key) => isSecret?.(key) === true);
  return parseConfig(pulumi.getStack(), raw, secretKeys);
}
