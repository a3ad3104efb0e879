/**
 * Section: every key the stack sets is one somebody reads. A typo in a key or a namespace would
 * otherwise be silently ignored and the value fall back to a default; a credential in plain text
 * would sit in the repository. Checked against our own keys (`keys.ts`) and the providers' own
 * (`providers.ts`, from the installed SDKs).
 */
import { closest, distance } from "fastest-levenshtein";
import { configKey, DEFAULTS, PROJECT, type ProjectKey } from "./keys";
import { PROVIDER_PACKAGES, providerKeys, type ProviderNamespace } from "./providers";
import type { ConfigReader } from "./reader";

/**
 * Provider keys that hold credentials, with the environment variable the provider reads instead.
 * The AWS ones are those `@pulumi/aws` marks secret (`provider.js`: `additionalSecretOutputs`;
 * a test keeps this list in step), read by the AWS SDK from its standard variables; the Auth0 ones
 * are the Auth0 provider's secrets, their variables from its `config/vars.d.ts`.
 */
export const CREDENTIAL_KEYS: Readonly<Record<string, string>> = {
  "aws:accessKey": "AWS_ACCESS_KEY_ID",
  "aws:secretKey": "AWS_SECRET_ACCESS_KEY",
  "aws:token": "AWS_SESSION_TOKEN",
  "auth0:clientSecret": "AUTH0_CLIENT_SECRET",
  "auth0:apiToken": "AUTH0_API_TOKEN",
  "auth0:clientAssertionPrivateKey": "AUTH0_CLIENT_ASSERTION_PRIVATE_KEY",
};

/** The engine's own namespace (`pulumi:disable-default-providers`, `pulumi:tags`, ...): not ours to judge. */
const ENGINE_NAMESPACE = "pulumi";

/** Every namespace a stack file may use. */
export const KNOWN_NAMESPACES: readonly string[] = [
  PROJECT,
  ...Object.keys(PROVIDER_PACKAGES),
  ENGINE_NAMESPACE,
];

/** The closest of `candidates` to `word`, when it is close enough to be a typo of it. */
export function nearMiss(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, [...candidates]);
  // A slip is a letter or two, or a wrong case: not a different word.
  const slack = Math.max(2, Math.floor(best.length / 4));
  return distance(word.toLowerCase(), best.toLowerCase()) <= slack ? best : undefined;
}

function isProviderNamespace(ns: string): ns is ProviderNamespace {
  return Object.prototype.hasOwnProperty.call(PROVIDER_PACKAGES, ns);
}

function rename(key: string, meant: string): string {
  return `pulumi config rm ${key}, then pulumi config set ${meant} <value>`;
}

/** Our own key: known, or a near miss of one. */
function checkOwn(r: ConfigReader, key: string, name: string): void {
  if (name in DEFAULTS) return;
  const ours = Object.keys(DEFAULTS);
  const meant = nearMiss(name, ours);
  if (meant !== undefined) {
    r.add(
      key,
      r.raw[key],
      `unknown key; did you mean \`${meant}\`? (a typo here would be silently ignored)`,
      rename(key, configKey(meant as ProjectKey)),
    );
  } else {
    r.add(
      key,
      r.raw[key],
      `unknown key of this project; its keys (documented in Pulumi.yaml): ${ours.join(", ")}`,
      `pulumi config rm ${key}`,
    );
  }
}

/** A provider's key: one its SDK declares, and a credential only as a secret. */
function checkProvider(
  r: ConfigReader,
  key: string,
  ns: ProviderNamespace,
  name: string,
  secret: boolean,
): void {
  const declared = providerKeys(ns).map((k) => k.name);
  if (!declared.includes(name)) {
    const meant = nearMiss(name, declared);
    const expected =
      meant !== undefined
        ? `unknown key of the ${ns} provider; did you mean \`${ns}:${meant}\`? (the provider would ignore it)`
        : declared.length === 0
          ? `unknown key: the ${ns} provider takes no configuration (${PROVIDER_PACKAGES[ns]} declares none)`
          : `unknown key of the ${ns} provider; its keys (${PROVIDER_PACKAGES[ns]} config/vars.d.ts): ${declared.join(", ")}`;
    r.add(
      key,
      r.raw[key],
      expected,
      meant !== undefined ? rename(key, `${ns}:${meant}`) : `pulumi config rm ${key}`,
    );
    return;
  }
  const envVar = CREDENTIAL_KEYS[key];
  if (envVar !== undefined && !secret) {
    // The value is not shown: it is the credential.
    r.add(
      key,
      "<plain text>",
      "a credential in plain text in the stack file, readable by anyone with the repository",
      `pulumi config rm ${key} and export ${envVar} instead (README, "Credentials"), or pulumi config set --secret ${key} <value>`,
    );
  }
}

/**
 * Checks every key of the stack's configuration (the stack file, as the CLI hands it over).
 * @param secretKeys the keys whose values are secrets (`secure:` in the stack file)
 */
export function checkStackKeys(r: ConfigReader, secretKeys: ReadonlySet<string>): void {
  for (const key of Object.keys(r.raw).sort()) {
    if (r.raw[key] === undefined) continue;
    const colon = key.indexOf(":");
    const ns = colon < 0 ? "" : key.slice(0, colon);
    const name = key.slice(colon + 1);
    if (ns === PROJECT) checkOwn(r, key, name);
    else if (isProviderNamespace(ns)) checkProvider(r, key, ns, name, secretKeys.has(key));
    else if (ns !== ENGINE_NAMESPACE) {
      const meantNs = nearMiss(ns, KNOWN_NAMESPACES);
      const meant =
        meantNs === PROJECT && name in DEFAULTS ? `${PROJECT}:${name}` : meantNs && `${meantNs}:${name}`;
      r.add(
        key,
        r.raw[key],
        `unknown namespace "${ns}"${meant ? `; did you mean \`${meant}\`?` : ""} (the namespaces of this stack: ${KNOWN_NAMESPACES.join(", ")})`,
        meant ? rename(key, meant) : `pulumi config rm ${key}`,
      );
    }
  }
}
