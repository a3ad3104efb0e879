/**
 * Which input changes make a provider replace a resource (delete it and create it again), per
 * resource type this stack declares, and what a replacement means for the people using it.
 *
 * Sources, each read at the commit named:
 * - Auth0: `willReplaceOnChanges` in pulumi/pulumi-auth0 `provider/cmd/pulumi-resource-auth0/schema.json`
 *   (commit e7020882dfbcf3f8d5fdfcd8d7a20a25aa50f6ce). `Client` has none: only a new logical name or
 *   type replaces it (a `-` and a `+` in the diff).
 * - random: hashicorp/terraform-provider-random `internal/provider/resource_password.go`
 *   (commit ad788e233bb42be5ecad3ba8f43de0d9d9dc7185): every input of `random_password` has a
 *   `RequiresReplace` plan modifier.
 * - AWS, whose schema does not ship in `@pulumi/aws`: the `ForceNew` attributes of
 *   hashicorp/terraform-provider-aws, by Terraform name, mapped to the Pulumi input name:
 *   `internal/service/lambda/function.go` (commit 262d4da63aa78d7dcea5d62ac118005e6628db57):
 *   `function_name` (Pulumi `name`), `package_type`;
 *   `internal/service/ssm/parameter.go` (commit 5c0ef379dbe03e67d02e72cc9157ab2ea55905a8): `name`;
 *   `internal/service/iam/role.go` (commit 0040ea6911af00bea2cca6dbb14e86829826ad8e): `name`,
 *   `name_prefix`, `path`;
 *   `internal/service/logs/group.go` (commit b11fc0fdd2efcc87bbff031692818008455bd048): `name`,
 *   `name_prefix`;
 *   `internal/service/events/rule.go` (commit 0cdab4ae09a963535e03dde0bff4784afe8e3517): `name`,
 *   `name_prefix`, `event_bus_name`;
 *   `internal/service/sns/topic.go` (commit 00a35305dc1b297a6fcdecdfbba33f1e63c3da39): `name`,
 *   `name_prefix`.
 *   A type not listed here is not known to replace on any input: the diff says so in its legend
 *   rather than guess.
 */

/** Input properties (top level, Pulumi names) whose change replaces a resource of the type. */
export const REPLACE_ON_CHANGES: Readonly<Record<string, readonly string[]>> = {
  "auth0:index/clientCredentials:ClientCredentials": ["clientId"],
  "auth0:index/logStream:LogStream": ["type"],
  "random:index/randomPassword:RandomPassword": [
    "keepers",
    "length",
    "special",
    "upper",
    "lower",
    "number",
    "numeric",
    "minNumeric",
    "minUpper",
    "minLower",
    "minSpecial",
    "overrideSpecial",
  ],
  "aws:lambda/function:Function": ["name", "packageType"],
  "aws:ssm/parameter:Parameter": ["name"],
  "aws:iam/role:Role": ["name", "namePrefix", "path"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix"],
  "aws:cloudwatch/eventRule:EventRule": ["name", "namePrefix", "eventBusName"],
  "aws:sns/topic:Topic": ["name", "namePrefix"],
};

/** The types whose replacement rules were read from a provider's source (see the module comment). */
export const TYPES_WITH_KNOWN_REPLACEMENTS: readonly string[] =
  Object.keys(REPLACE_ON_CHANGES).concat("auth0:index/client:Client");

/** `true` when changing `property` (top level) replaces a resource of `type`. */
export function replacesOnChange(type: string, property: string): boolean {
  return REPLACE_ON_CHANGES[type]?.includes(property) === true;
}

/** What users notice when a resource of the type is replaced or deleted. */
const CONSEQUENCES: Readonly<Record<string, string>> = {
  "auth0:index/client:Client":
    "its client ID goes with it (a new client is a new ID): every shipped app built with the old one stops signing in",
  "auth0:index/clientCredentials:ClientCredentials":
    "the client's secret and authentication method are reset: the web app cannot exchange codes until it has the new secret",
  "auth0:index/logStream:LogStream":
    "a new log stream is a new EventBridge partner event source: monitoring sees no events until the bus is attached again",
  "aws:lambda/function:Function":
    "the web app's function is deleted and created again: sign-ins fail until it is back, with fresh logs and permissions",
  "aws:iam/role:Role":
    "a new role with a new ARN: the function moves to it in the same update, and anything outside this stack that names the old role's ARN must be told the new one",
  "aws:cloudwatch/logGroup:LogGroup":
    "a new, empty log group: the old group and every line in it are deleted (export what must be kept before the update)",
  "aws:cloudwatch/eventRule:EventRule":
    "a new rule: events that arrive while it is swapped are not matched, and its MatchedEvents metric starts again under the new name",
  "aws:sns/topic:Topic":
    "a new topic: the alarm e-mail subscription is made again and notifies nobody until its address confirms the e-mail AWS sends",
  "aws:ssm/parameter:Parameter":
    "the parameter is deleted and created again: a cold start in between cannot read its settings and fails",
  "random:index/randomPassword:RandomPassword":
    "a new generated secret: session cookies sealed with the old one are no longer accepted, users sign in again",
};

/** The loud line for a replaced or deleted resource. */
export function consequence(type: string, name: string, op: "+-" | "-"): string {
  const what = op === "+-" ? "REPLACES" : "DELETES";
  const why = CONSEQUENCES[type] ?? "it is deleted (and, for a replacement, created again)";
  return `!!! ${what} ${name} (${type}): ${why}.`;
}
