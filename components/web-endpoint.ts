import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { BUNDLE_FILE, LAMBDA_ENV, LAMBDA_HANDLER, ROUTES, SETTINGS_PARAMETERS } from "../app/contract";
import type { StackAwsNames } from "../model/aws-names";
import type { WebCustomDomain } from "./config";
import { functionRolePolicy } from "./function-role-policy";

/** Arguments of {@link WebEndpoint}. */
export interface WebEndpointArgs {
  /** The JavaScript bundle of the web application (one CommonJS file exporting `handler`). */
  readonly code: string;
  /** `https://<login domain>`: the OpenID issuer the app discovers at cold start. */
  readonly issuerBaseUrl: string;
  /** SSM path (no trailing slash) below which the app's settings are stored, e.g. `/native-web-sso/dev/web`. */
  readonly settingsPath: string;
  /**
   * The stack's physical AWS names (`model/aws-names.ts`): the function, its role and log groups
   * get them, the API and the custom domain get the stack's tag, so the identities program's roles
   * and boundary, scoped to these names, reach nothing of another stack in the same account.
   */
  readonly names: StackAwsNames;
  /** Serve the app on this domain (ACM certificate + Route 53) instead of the execute-api URL. */
  readonly customDomain?: WebCustomDomain;
  /** Retention of the function's and the API's logs, in days (a CloudWatch period). */
  readonly logRetentionDays: number;
  /** Memory of the function in MB; Lambda scales CPU with it. */
  readonly memoryMb: number;
  /** API Gateway burst limit (requests). Must be set: a stage without it throttles everything. */
  readonly throttleBurstLimit: number;
  /** API Gateway steady-state rate limit (requests per second). */
  readonly throttleRateLimit: number;
  /**
   * Instances kept initialised. Above 0 the function is published and the API invokes an alias
   * with that much provisioned concurrency; 0 (the default) invokes `$LATEST` on demand.
   */
  readonly provisionedConcurrency?: number;
  /**
   * ARN of a managed policy set as the function role's permissions boundary: whatever policy the
   * role is given, it can do no more than this (the identities program declares it, so a deploy
   * identity that may write the role's policy still cannot widen it). None when unset.
   */
  readonly permissionsBoundary?: string;
}

/** Access log fields: no query string, so a session transfer token never reaches the logs. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  time: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  method: "$context.httpMethod",
  path: "$context.path",
  status: "$context.status",
  latencyMs: "$context.responseLatency",
  integrationError: "$context.integrationErrorMessage",
});

/**
 * The web application on AWS: a Lambda function behind an API Gateway HTTP API (`$default`
 * stage and route), with a least-privilege role, logs with retention, its cookie secret in SSM,
 * and an optional custom domain. It serves the Application Login URI.
 */
export class WebEndpoint extends pulumi.ComponentResource {
  /** Public base URL of the app, `https://...` without a trailing slash. */
  readonly url: pulumi.Output<string>;
  /** The Application Login URI (`url + /login`). */
  readonly loginUri: pulumi.Output<string>;
  /** The OIDC redirect URI (`url + /callback`). */
  readonly callbackUrl: pulumi.Output<string>;
  /** Where Auth0 may return after logout: exactly the base URL, which the app's logout uses. */
  readonly logoutUrl: pulumi.Output<string>;
  /** SSM path of the app's settings; the web client's parameters go below it. */
  readonly settingsPath: string;
  /** The HTTP API in front of the function. */
  readonly api: aws.apigatewayv2.Api;
  /** The function that runs the web application. */
  readonly function: aws.lambda.Function;
  /** The alias the API invokes when provisioned concurrency is on. */
  readonly alias?: aws.lambda.Alias;
  /** The function's role: reads its own settings, writes its own logs. */
  readonly role: aws.iam.Role;
  /** The function's log group (the app's JSON lines). */
  readonly functionLogGroup: aws.cloudwatch.LogGroup;
  /** The API stage's access log group (one JSON line per request, no query string). */
  readonly accessLogGroup: aws.cloudwatch.LogGroup;
  /** The name of the stage that serves the API. */
  readonly stageName = "$default";

  constructor(name: string, args: WebEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:aws:WebEndpoint", name, {}, opts);
    const parent = { parent: this };
    this.settingsPath = args.settingsPath;
    const provisioned = args.provisionedConcurrency ?? 0;

    // Without a custom domain the execute-api URL is the app's URL; with one, that URL is turned
    // off so the app has a single origin (its callback only works there anyway).
    this.api = new aws.apigatewayv2.Api(
      `${name}-api`,
      {
        name: args.names.apiName,
        protocolType: "HTTP",
        description: "Native to Web SSO web application",
        // Phones on IPv6-only networks reach the app directly.
        ipAddressType: "dualstack",
        disableExecuteApiEndpoint: args.customDomain !== undefined,
        tags: args.names.tags,
      },
      parent,
    );
    this.url = args.customDomain ? pulumi.output(`https://${args.customDomain.name}`) : this.api.apiEndpoint;

    this.functionLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: args.names.functionLogGroup, retentionInDays: args.logRetentionDays },
      parent,
    );
    this.accessLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      { name: args.names.accessLogGroup, retentionInDays: args.logRetentionDays },
      parent,
    );
    const functionLogs = this.functionLogGroup;
    const accessLogs = this.accessLogGroup;

    const cookieSecret = new random.RandomPassword(
      `${name}-cookie-secret`,
      { length: 64, special: false },
      parent,
    );
    const cookieSecretParameter = new aws.ssm.Parameter(
      `${name}-cookie-secret-parameter`,
      {
        name: `${args.settingsPath}/${SETTINGS_PARAMETERS.cookieSecret}`,
        type: "SecureString",
        value: cookieSecret.result,
        description: "Secret the web app derives its cookie-sealing key from",
      },
      parent,
    );
    // The secret before the latest rotation, which the app still opens cookies with. Pulumi writes
    // a random value once (nothing was sealed with it) and then leaves the value to the rotation
    // procedure (README, "Rotating the cookie secret"), which copies the current secret here first.
    const previousCookieSecret = new random.RandomPassword(
      `${name}-previous-cookie-secret`,
      { length: 64, special: false },
      parent,
    );
    new aws.ssm.Parameter(
      `${name}-previous-cookie-secret-parameter`,
      {
        name: `${args.settingsPath}/${SETTINGS_PARAMETERS.previousCookieSecret}`,
        type: "SecureString",
        value: previousCookieSecret.result,
        description: "The web app's cookie secret before the latest rotation (still accepted)",
      },
      { parent: this, ignoreChanges: ["value"] },
    );
    // Changes with the secret, never reveals it: a changed environment sends every later
    // invocation to a fresh execution environment, which reads both secrets.
    const settingsRevision = pulumi.unsecret(
      cookieSecret.result.apply((secret) => createHash("sha256").update(secret).digest("hex").slice(0, 16)),
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.names.functionRoleName,
        description: "Runs the Native to Web SSO web application",
        permissionsBoundary: args.permissionsBoundary,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      },
      parent,
    );
    // ARN of the settings path, derived from a parameter under it: no account ID lookup needed.
    const settingsArn = cookieSecretParameter.arn.apply((arn) =>
      arn.slice(0, arn.length - SETTINGS_PARAMETERS.cookieSecret.length - 1),
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([functionLogs.arn, settingsArn])
          .apply(([logsArn, settings]) => JSON.stringify(functionRolePolicy(logsArn, settings))),
      },
      parent,
    );

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.names.functionName,
        description: "Native to Web SSO web application (Application Login URI)",
        runtime: aws.lambda.Runtime.NodeJS24dX,
        architectures: ["arm64"],
        handler: LAMBDA_HANDLER,
        // Content-addressed: the same bundle gives the same archive hash, so previews stay quiet.
        code: new pulumi.asset.AssetArchive({ [BUNDLE_FILE]: new pulumi.asset.StringAsset(args.code) }),
        role: this.role.arn,
        memorySize: args.memoryMb,
        timeout: 10,
        environment: {
          variables: {
            [LAMBDA_ENV.issuerBaseUrl]: args.issuerBaseUrl,
            [LAMBDA_ENV.baseUrl]: this.url,
            [LAMBDA_ENV.settingsPath]: args.settingsPath,
            [LAMBDA_ENV.settingsRevision]: settingsRevision,
            NODE_ENV: "production",
          },
        },
        loggingConfig: { logFormat: "Text", logGroup: functionLogs.name },
        // Provisioned concurrency needs a published version behind an alias.
        publish: provisioned > 0,
      },
      { parent: this, dependsOn: [rolePolicy] },
    );
    if (provisioned > 0) {
      this.alias = new aws.lambda.Alias(
        `${name}-live`,
        {
          name: "live",
          functionName: this.function.name,
          functionVersion: this.function.version,
          description: "The version the API invokes, kept warm by provisioned concurrency",
        },
        parent,
      );
      new aws.lambda.ProvisionedConcurrencyConfig(
        `${name}-warm-instances`,
        {
          functionName: this.function.name,
          qualifier: this.alias.name,
          provisionedConcurrentExecutions: provisioned,
        },
        parent,
      );
    }

    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      {
        apiId: this.api.id,
        integrationType: "AWS_PROXY",
        integrationUri: this.alias ? this.alias.invokeArn : this.function.invokeArn,
        integrationMethod: "POST",
        payloadFormatVersion: "2.0",
      },
      parent,
    );
    new aws.apigatewayv2.Route(
      `${name}-route`,
      {
        apiId: this.api.id,
        routeKey: "$default",
        target: pulumi.interpolate`integrations/${integration.id}`,
      },
      parent,
    );
    // The `$default` stage keeps the stage name out of the path the app sees.
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: this.api.id,
        name: this.stageName,
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingBurstLimit: args.throttleBurstLimit,
          throttlingRateLimit: args.throttleRateLimit,
        },
        accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      },
      parent,
    );
    new aws.lambda.Permission(
      `${name}-invoke-permission`,
      {
        action: "lambda:InvokeFunction",
        function: this.function.name,
        // With an alias the API invokes the alias, so the permission is granted on it.
        ...(this.alias ? { qualifier: this.alias.name } : {}),
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${this.api.executionArn}/*/*`,
      },
      parent,
    );

    if (args.customDomain) this.addCustomDomain(name, args.customDomain, stage, args.names.tags);

    this.loginUri = this.url.apply((u) => `${u}${ROUTES.login}`);
    this.callbackUrl = this.url.apply((u) => `${u}${ROUTES.callback}`);
    this.logoutUrl = this.url;
    this.registerOutputs({
      url: this.url,
      loginUri: this.loginUri,
      callbackUrl: this.callbackUrl,
      logoutUrl: this.logoutUrl,
      settingsPath: this.settingsPath,
      api: this.api,
      function: this.function,
      alias: this.alias,
      role: this.role,
      functionLogGroup: this.functionLogGroup,
      accessLogGroup: this.accessLogGroup,
      stageName: this.stageName,
    });
  }

  /** Regional ACM certificate validated through Route 53, the API domain, its mapping and alias records. */
  private addCustomDomain(
    name: string,
    domain: WebCustomDomain,
    stage: aws.apigatewayv2.Stage,
    tags: Readonly<Record<string, string>>,
  ): void {
    const parent = { parent: this };
    const certificate = new aws.acm.Certificate(
      `${name}-certificate`,
      { domainName: domain.name, validationMethod: "DNS", tags },
      parent,
    );
    const option = certificate.domainValidationOptions[0];
    const validationRecord = new aws.route53.Record(
      `${name}-certificate-validation-record`,
      {
        zoneId: domain.hostedZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
      },
      parent,
    );
    const validation = new aws.acm.CertificateValidation(
      `${name}-certificate-validation`,
      { certificateArn: certificate.arn, validationRecordFqdns: [validationRecord.fqdn] },
      parent,
    );
    const apiDomain = new aws.apigatewayv2.DomainName(
      `${name}-domain`,
      {
        domainName: domain.name,
        domainNameConfiguration: {
          certificateArn: validation.certificateArn,
          endpointType: "REGIONAL",
          securityPolicy: "TLS_1_2",
          // The AAAA alias below needs an IPv6 endpoint behind it.
          ipAddressType: "dualstack",
        },
        tags,
      },
      parent,
    );
    new aws.apigatewayv2.ApiMapping(
      `${name}-api-mapping`,
      { apiId: this.api.id, domainName: apiDomain.id, stage: stage.id },
      parent,
    );
    for (const type of ["A", "AAAA"] as const) {
      new aws.route53.Record(
        `${name}-alias-${type.toLowerCase()}`,
        {
          zoneId: domain.hostedZoneId,
          name: domain.name,
          type,
          aliases: [
            {
              name: apiDomain.domainNameConfiguration.targetDomainName,
              zoneId: apiDomain.domainNameConfiguration.hostedZoneId,
              evaluateTargetHealth: false,
            },
          ],
        },
        parent,
      );
    }
  }
}
