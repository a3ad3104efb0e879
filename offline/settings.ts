/** The settings of a resource as the text preview shows them: the ones that matter, one per line. */

import { inline, isArchive, isScalar, parseJsonObject } from "./values";
import type { JsonValue, ResourceView } from "./view";

/** The settings shown per resource type; every other type shows all its inputs. */
const SETTINGS: Readonly<Record<string, readonly string[]>> = {
  "auth0:index/client:Client": [
    "name",
    "appType",
    "isFirstParty",
    "oidcConformant",
    "grantTypes",
    "initiateLoginUri",
    "callbacks",
    "allowedLogoutUrls",
    "allowedOrigins",
    "webOrigins",
    "sessionTransfer",
    "refreshToken",
    "mobile",
  ],
  "auth0:index/clientCredentials:ClientCredentials": ["clientId", "authenticationMethod"],
  "aws:lambda/function:Function": [
    "runtime",
    "architectures",
    "handler",
    "memorySize",
    "timeout",
    "code",
    "role",
    "environment.variables",
    "loggingConfig",
    "publish",
  ],
  "aws:lambda/alias:Alias": ["name", "functionName", "functionVersion"],
  "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": [
    "functionName",
    "qualifier",
    "provisionedConcurrentExecutions",
  ],
  "aws:apigatewayv2/api:Api": ["protocolType", "disableExecuteApiEndpoint"],
  "aws:apigatewayv2/route:Route": ["routeKey", "target"],
  "aws:apigatewayv2/integration:Integration": [
    "integrationType",
    "integrationMethod",
    "integrationUri",
    "payloadFormatVersion",
  ],
  "aws:apigatewayv2/stage:Stage": [
    "name",
    "autoDeploy",
    "defaultRouteSettings",
    "accessLogSettings.destinationArn",
  ],
  "aws:apigatewayv2/domainName:DomainName": ["domainName", "domainNameConfiguration"],
  "aws:apigatewayv2/apiMapping:ApiMapping": ["domainName", "stage"],
  "aws:lambda/permission:Permission": ["action", "principal", "function", "qualifier", "sourceArn"],
  "aws:iam/role:Role": ["assumeRolePolicy"],
  "aws:iam/rolePolicy:RolePolicy": ["role", "policy"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "retentionInDays"],
  "aws:cloudwatch/eventRule:EventRule": ["eventBusName", "eventPattern"],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    "name",
    "metricQueries",
    "comparisonOperator",
    "threshold",
    "evaluationPeriods",
    "datapointsToAlarm",
    "treatMissingData",
    "alarmActions",
    "okActions",
  ],
  // The body is a long JSON document; the JSON rendering keeps all of it.
  "aws:cloudwatch/dashboard:Dashboard": ["dashboardName"],
  "aws:ssm/parameter:Parameter": ["name", "type", "value"],
  "random:index/randomPassword:RandomPassword": ["length", "special"],
  "aws:acm/certificate:Certificate": ["domainName", "validationMethod"],
  "aws:acm/certificateValidation:CertificateValidation": ["certificateArn", "validationRecordFqdns"],
  "aws:route53/record:Record": ["zoneId", "name", "type", "ttl", "records", "aliases"],
};

const WIDTH = 110;

function list(v: JsonValue | undefined): JsonValue[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** An IAM policy document, one statement per line: effect, actions, principals, resources. */
function iamStatementLines(doc: Record<string, JsonValue>, indent: string): string[] | undefined {
  const statements = list(doc.Statement);
  if (statements.length === 0) return undefined;
  return statements.flatMap((s) => {
    if (s === null || typeof s !== "object" || Array.isArray(s)) return [`${indent}${inline(s)}`];
    const head = [`${indent}${String(s.Effect)} ${list(s.Action).map(inline).join(", ")}`];
    if (s.Principal !== undefined) head.push(`by ${inline(s.Principal)}`);
    if (s.Sid !== undefined) head.push(`(${inline(s.Sid)})`);
    return [head.join(" "), ...list(s.Resource).map((r) => `${indent}  on ${inline(r)}`)];
  });
}

/** The lines of one setting, `path: value`, nested values below their path. */
export function entryLines(path: string, v: JsonValue, indent: string): string[] {
  if (isArchive(v)) {
    const files = Object.keys(v.archive)
      .sort()
      .map((f) => {
        const info = v.archive[f];
        const bytes =
          info !== null && typeof info === "object" && !Array.isArray(info) ? info.bytes : undefined;
        return bytes === undefined ? f : `${f} ${String(bytes)} bytes`;
      });
    return [`${indent}${path}: archive sha256:${v.sha256} (${files.join(", ")})`];
  }
  if (typeof v === "string") {
    const doc = parseJsonObject(v);
    if (doc) {
      const statements = "Statement" in doc ? iamStatementLines(doc, `${indent}  `) : undefined;
      if (statements) return [`${indent}${path}: (IAM policy)`, ...statements];
      return [
        `${indent}${path}: (JSON)`,
        ...Object.keys(doc)
          .sort()
          .flatMap((k) => entryLines(k, doc[k], `${indent}  `)),
      ];
    }
    if (v.includes("\n")) {
      return [
        `${indent}${path}: |`,
        ...v
          .replace(/\n$/, "")
          .split("\n")
          .map((l) => `${indent}  ${l}`),
      ];
    }
  }
  if (isScalar(v)) return [`${indent}${path}: ${inline(v)}`];
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${indent}${path}: []`];
    if (v.every(isScalar)) {
      const one = `${indent}${path}: ${inline(v)}`;
      if (one.length <= WIDTH) return [one];
      return [`${indent}${path}:`, ...v.map((x) => `${indent}  - ${inline(x)}`)];
    }
    return v.flatMap((x, i) => entryLines(`${path}[${i}]`, x, indent));
  }
  const keys = Object.keys(v).sort();
  if (keys.length === 0) return [`${indent}${path}: {}`];
  return keys.flatMap((k) => entryLines(`${path}.${k}`, v[k], indent));
}

function at(inputs: { readonly [key: string]: JsonValue }, path: string): JsonValue | undefined {
  let v: JsonValue | undefined = inputs as JsonValue;
  for (const part of path.split(".")) {
    if (v === null || v === undefined || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = v[part];
  }
  return v;
}

/** The settings that matter for a resource, one per line. */
export function settingsLines(r: ResourceView, indent = "    "): string[] {
  const paths = SETTINGS[r.type] ?? Object.keys(r.inputs).sort();
  return paths.flatMap((p) => {
    const v = at(r.inputs, p);
    return v === undefined ? [] : entryLines(p, v, indent);
  });
}
