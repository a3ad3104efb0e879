import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { WebCustomDomain } from "../components/config";
import { ArchiveValue, isSecret, resourcesOf, reveal, type StackModel } from "../model/rendered";
import { renderStack } from "../offline/render";
import { onlyResource } from "../testkit/model";

const CODE = "exports.handler = async () => ({ statusCode: 200 });";

async function renderEndpoint(customDomain?: WebCustomDomain, code = CODE) {
  return renderStack({
    stack: "dev",
    preview: false,
    loadProgram: async () => {
      const { WebEndpoint } = await import("../components/web-endpoint");
      const e = new WebEndpoint("endpoint", {
        code,
        issuerBaseUrl: "https://login.acme.com",
        settingsPath: "/native-web-sso/dev/web",
        names: (await import("../model/aws-names")).stackAwsNames("native-web-sso", "dev"),
        customDomain,
        logRetentionDays: 14,
        memoryMb: 256,
        throttleBurstLimit: 100,
        throttleRateLimit: 50,
      });
      return { url: e.url, loginUri: e.loginUri, callbackUrl: e.callbackUrl, logoutUrl: e.logoutUrl };
    },
  });
}

describe("WebEndpoint", () => {
  let model: StackModel;
  beforeAll(async () => {
    model = await renderEndpoint();
  });

  it("parents every resource to the component, named after it", () => {
    const component = onlyResource(model, "native-web-sso:aws:WebEndpoint");
    for (const r of model.resources.filter((x) => x.custom)) {
      expect(r.parent, r.name).toBe(component.urn);
      expect(r.name.startsWith("endpoint-"), r.name).toBe(true);
    }
  });

  it("runs the bundle on Lambda nodejs24.x from a content-addressed archive", () => {
    const fn = onlyResource(model, "aws:lambda/function:Function");
    expect(fn.inputs).toMatchObject({
      runtime: "nodejs24.x",
      handler: "index.handler",
      architectures: ["arm64"],
    });
    const code = fn.inputs.code as ArchiveValue;
    expect(code).toBeInstanceOf(ArchiveValue);
    expect(Object.keys(code.files)).toEqual(["index.js"]);
    expect(code.files["index.js"].bytes).toBe(CODE.length);
    expect(fn.inputs.sourceCodeHash).toBeUndefined();
  });

  it("gives the function no secret in its environment, only where to find its settings", () => {
    const fn = onlyResource(model, "aws:lambda/function:Function");
    const secret = String(
      reveal(
        onlyResource(model, "aws:ssm/parameter:Parameter", "endpoint-cookie-secret-parameter").inputs.value,
      ),
    );
    expect(fn.inputs.environment).toEqual({
      variables: {
        ISSUER_BASE_URL: "https://login.acme.com",
        BASE_URL: "https://mock-endpoint-api.execute-api.eu-west-1.amazonaws.com",
        SETTINGS_PATH: "/native-web-sso/dev/web",
        // A short hash of the cookie secret, never the secret: it changes when the secret rotates.
        SETTINGS_REVISION: createHash("sha256").update(secret).digest("hex").slice(0, 16),
        NODE_ENV: "production",
      },
    });
    expect(JSON.stringify(fn.inputs.environment)).not.toContain(secret);
  });

  it("stores the cookie secret and the previous one as SSM SecureStrings, Pulumi secrets", () => {
    const p = onlyResource(model, "aws:ssm/parameter:Parameter", "endpoint-cookie-secret-parameter");
    expect(p.inputs.name).toBe("/native-web-sso/dev/web/cookie-secret");
    expect(p.inputs.type).toBe("SecureString");
    expect(isSecret(p.inputs.value)).toBe(true);
    // The previous secret starts as a random value of its own; rotation writes it (README).
    const previous = onlyResource(
      model,
      "aws:ssm/parameter:Parameter",
      "endpoint-previous-cookie-secret-parameter",
    );
    expect(previous.inputs.name).toBe("/native-web-sso/dev/web/cookie-secret-previous");
    expect(previous.inputs.type).toBe("SecureString");
    expect(isSecret(previous.inputs.value)).toBe(true);
    expect(reveal(previous.inputs.value)).not.toBe(reveal(p.inputs.value));
    for (const password of resourcesOf(model, "random:index/randomPassword:RandomPassword")) {
      expect(password.inputs, password.name).toMatchObject({ length: 64, special: false });
    }
    expect(
      resourcesOf(model, "random:index/randomPassword:RandomPassword")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["endpoint-cookie-secret", "endpoint-previous-cookie-secret"]);
  });

  it("lets the role only write its own logs, read its own settings and decrypt them through SSM", () => {
    const role = onlyResource(model, "aws:iam/role:Role");
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
    const policy = JSON.parse(String(onlyResource(model, "aws:iam/rolePolicy:RolePolicy").inputs.policy)) as {
      Statement: { Action: string[]; Resource: string[] }[];
    };
    expect(policy.Statement).toEqual([
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: ["arn:aws:logs:eu-west-1:123456789012:log-group:/native-web-sso/dev/endpoint:*"],
      },
      {
        Sid: "ReadOwnSettings",
        Effect: "Allow",
        Action: ["ssm:GetParametersByPath"],
        Resource: [
          "arn:aws:ssm:eu-west-1:123456789012:parameter/native-web-sso/dev/web",
          "arn:aws:ssm:eu-west-1:123456789012:parameter/native-web-sso/dev/web/*",
        ],
      },
      {
        // Parameter Store decrypts with the parameter's ARN as encryption context (PARAMETER_ARN).
        Sid: "DecryptOwnSettings",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: ["arn:aws:kms:eu-west-1:123456789012:key/*"],
        Condition: {
          StringEquals: { "kms:ViaService": "ssm.eu-west-1.amazonaws.com" },
          StringLike: {
            "kms:EncryptionContext:PARAMETER_ARN":
              "arn:aws:ssm:eu-west-1:123456789012:parameter/native-web-sso/dev/web/*",
          },
        },
      },
    ]);
    expect(resourcesOf(model, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toHaveLength(0);
    // The function waits for its permissions, so its first cold start can log and read.
    const fn = onlyResource(model, "aws:lambda/function:Function");
    expect(fn.dependsOn).toContain(onlyResource(model, "aws:iam/rolePolicy:RolePolicy").urn);
  });

  it("keeps function and access logs with the configured retention", () => {
    const groups = resourcesOf(model, "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => [g.name, g.inputs.retentionInDays])).toEqual([
      ["endpoint-access-logs", 14],
      ["endpoint-logs", 14],
    ]);
    expect(onlyResource(model, "aws:lambda/function:Function").inputs.loggingConfig).toEqual({
      logFormat: "Text",
      logGroup: "/native-web-sso/dev/endpoint",
    });
  });

  it("serves every path through the $default route and stage with explicit throttling and access logs", () => {
    expect(onlyResource(model, "aws:apigatewayv2/api:Api").inputs).toMatchObject({
      protocolType: "HTTP",
      disableExecuteApiEndpoint: false,
      ipAddressType: "dualstack",
    });
    expect(onlyResource(model, "aws:apigatewayv2/route:Route").inputs).toMatchObject({
      routeKey: "$default",
      target: "integrations/mock-endpoint-integration-id",
    });
    expect(onlyResource(model, "aws:apigatewayv2/integration:Integration").inputs).toMatchObject({
      integrationType: "AWS_PROXY",
      payloadFormatVersion: "2.0",
    });
    const stage = onlyResource(model, "aws:apigatewayv2/stage:Stage");
    expect(stage.inputs).toMatchObject({
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: { throttlingBurstLimit: 100, throttlingRateLimit: 50 },
    });
    const access = stage.inputs.accessLogSettings as { destinationArn: string; format: string };
    expect(access.destinationArn).toContain("log-group:/native-web-sso/dev/endpoint-access");
    // No query string in access logs: tokens travel there.
    expect(access.format).not.toMatch(/querystring|requestUri|\$context\.path\?/i);
    expect(onlyResource(model, "aws:lambda/permission:Permission").inputs).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "apigateway.amazonaws.com",
      sourceArn: "arn:aws:execute-api:eu-west-1:123456789012:mock-endpoint-api/*/*",
    });
  });

  it("derives the login, callback and logout URLs from the API URL", () => {
    const url = "https://mock-endpoint-api.execute-api.eu-west-1.amazonaws.com";
    expect(model.outputs).toEqual({
      url,
      loginUri: `${url}/login`,
      callbackUrl: `${url}/callback`,
      logoutUrl: url,
    });
    expect(resourcesOf(model, "aws:acm/certificate:Certificate")).toHaveLength(0);
  });

  it("serves a custom domain through a validated regional certificate and alias records", async () => {
    const custom = await renderEndpoint({ name: "sso.acme.com", hostedZoneId: "Z0123456789ABC" });
    expect(custom.outputs.loginUri).toBe("https://sso.acme.com/login");
    expect(onlyResource(custom, "aws:apigatewayv2/api:Api").inputs.disableExecuteApiEndpoint).toBe(true);
    expect(onlyResource(custom, "aws:acm/certificate:Certificate").inputs).toMatchObject({
      domainName: "sso.acme.com",
      validationMethod: "DNS",
    });
    expect(
      onlyResource(custom, "aws:route53/record:Record", "endpoint-certificate-validation-record").inputs,
    ).toMatchObject({
      zoneId: "Z0123456789ABC",
      type: "CNAME",
      records: ["_mock.acm-validations.aws."],
    });
    expect(onlyResource(custom, "aws:apigatewayv2/domainName:DomainName").inputs).toMatchObject({
      domainName: "sso.acme.com",
      domainNameConfiguration: {
        endpointType: "REGIONAL",
        securityPolicy: "TLS_1_2",
        ipAddressType: "dualstack",
      },
    });
    expect(onlyResource(custom, "aws:apigatewayv2/apiMapping:ApiMapping").inputs).toMatchObject({
      domainName: "mock-endpoint-domain-id",
    });
    for (const type of ["A", "AAAA"]) {
      const alias = onlyResource(custom, "aws:route53/record:Record", `endpoint-alias-${type.toLowerCase()}`);
      expect(alias.inputs).toMatchObject({
        name: "sso.acme.com",
        type,
        aliases: [
          { name: "d-mock-endpoint-domain.execute-api.eu-west-1.amazonaws.com", zoneId: "ZMOCKAPIGATEWAY" },
        ],
      });
    }
    expect(onlyResource(custom, "aws:lambda/function:Function").inputs.environment).toMatchObject({
      variables: { BASE_URL: "https://sso.acme.com" },
    });
  });

  it("hashes the archive by content only: the same code gives the same hash", async () => {
    const again = await renderEndpoint();
    const a = onlyResource(model, "aws:lambda/function:Function").inputs.code as ArchiveValue;
    const b = onlyResource(again, "aws:lambda/function:Function").inputs.code as ArchiveValue;
    expect(b.sha256).toBe(a.sha256);
    const changed = await renderEndpoint(undefined, CODE + "\n");
    expect(
      (onlyResource(changed, "aws:lambda/function:Function").inputs.code as ArchiveValue).sha256,
    ).not.toBe(a.sha256);
  });
});
