import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

type State = Record<string, unknown>;

/**
 * Stand-in values for what the cloud computes, used only when rendering for tests (not for the
 * offline preview, where they stay unknown). They are visibly fake: `mock-...`.
 */
function computed(type: string, name: string, inputs: State, region: string): State {
  const id = `mock-${name}`;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:123456789012:${resource}`;
  switch (type) {
    case "auth0:index/client:Client":
      return { clientId: `mock-${createHash("sha256").update(name).digest("hex").slice(0, 24)}` };
    case "auth0:index/clientCredentials:ClientCredentials":
      return { clientSecret: `mock-secret-${createHash("sha256").update(name).digest("hex")}` };
    case "random:index/randomPassword:RandomPassword":
      return { result: `mock-password-${createHash("sha256").update(name).digest("hex")}` };
    case "aws:apigatewayv2/api:Api":
      return {
        apiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com`,
        executionArn: arn("execute-api", id),
        arn: `arn:aws:apigateway:${region}::/apis/${id}`,
      };
    case "aws:cloudwatch/logGroup:LogGroup": {
      const group = typeof inputs.name === "string" ? inputs.name : `/mock/${name}`;
      return { name: group, arn: arn("logs", `log-group:${group}`) };
    }
    case "aws:iam/role:Role": {
      // A name the program sets is the resource's name, as AWS keeps it; else the provider's auto-name.
      const role = typeof inputs.name === "string" ? inputs.name : id;
      return { name: role, arn: `arn:aws:iam::123456789012:role/${role}` };
    }
    case "aws:ssm/parameter:Parameter":
      return { arn: arn("ssm", `parameter${String(inputs.name)}`) };
    case "aws:lambda/function:Function": {
      const fn = typeof inputs.name === "string" ? inputs.name : id;
      return {
        version: inputs.publish === true ? "1" : "$LATEST",
        name: fn,
        arn: arn("lambda", `function:${fn}`),
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", `function:${fn}`)}/invocations`,
      };
    }
    case "aws:lambda/alias:Alias": {
      const alias = String(inputs.name ?? name);
      const aliasArn = arn("lambda", `function:${String(inputs.functionName)}:${alias}`);
      return {
        name: alias,
        arn: aliasArn,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${aliasArn}/invocations`,
      };
    }
    case "aws:acm/certificate:Certificate":
      return {
        arn: arn("acm", `certificate/${id}`),
        domainValidationOptions: [
          {
            domainName: inputs.domainName,
            resourceRecordName: `_mock.${String(inputs.domainName)}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: "_mock.acm-validations.aws.",
          },
        ],
      };
    case "aws:acm/certificateValidation:CertificateValidation":
      return { certificateArn: inputs.certificateArn };
    case "aws:route53/record:Record":
      return { fqdn: String(inputs.name) };
    case "auth0:index/logStream:LogStream":
      return {
        sink: {
          ...(inputs.sink as State),
          awsPartnerEventSource: `aws.partner/auth0.com/mock-tenant-${createHash("sha256").update(name).digest("hex").slice(0, 8)}/auth0.logs`,
        },
      };
    case "aws:cloudwatch/eventBus:EventBus":
      return { arn: arn("events", `event-bus/${String(inputs.name)}`) };
    case "aws:cloudwatch/eventRule:EventRule": {
      const rule = typeof inputs.name === "string" ? inputs.name : `${name}-mock`;
      return { name: rule, arn: arn("events", `rule/${rule}`) };
    }
    case "aws:sns/topic:Topic":
      return { arn: arn("sns", String(inputs.name ?? id)) };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { arn: arn("cloudwatch", `alarm:${String(inputs.name ?? id)}`) };
    case "aws:apigatewayv2/domainName:DomainName":
      return {
        domainNameConfiguration: {
          ...(inputs.domainNameConfiguration as State),
          targetDomainName: `d-${id}.execute-api.${region}.amazonaws.com`,
          hostedZoneId: "ZMOCKAPIGATEWAY",
        },
      };
    default:
      return {};
  }
}

/**
 * What a preview knows of a computed value: the parts the program gave as inputs, and "unknown"
 * (the engine's sentinel) for everything the cloud fills in, nested parts included.
 */
function unknownsFor(fake: unknown, input: unknown): unknown {
  if (
    fake !== null &&
    typeof fake === "object" &&
    !Array.isArray(fake) &&
    input !== null &&
    typeof input === "object"
  ) {
    const out: State = {};
    for (const [k, v] of Object.entries(fake as State)) out[k] = unknownsFor(v, (input as State)[k]);
    return out;
  }
  return fake === input ? input : pulumi.runtime.unknownValue;
}

/**
 * Mocks for the Pulumi runtime. In preview mode a resource gets back only its inputs, so every
 * cloud-assigned property is unknown, as in `pulumi preview`; in test mode it also gets fake
 * computed values so that wiring can be followed to the end.
 */
export function createMocks(preview: boolean, region: string): pulumi.runtime.Mocks {
  return {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
      const inputs = args.inputs as State;
      if (preview) {
        const fake = computed(args.type, args.name, inputs, region);
        return { id: undefined, state: { ...inputs, ...(unknownsFor(fake, inputs) as State) } };
      }
      return {
        id: `mock-${args.name}-id`,
        state: { ...inputs, ...computed(args.type, args.name, inputs, region) },
      };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
      // What the provider reads from the deploying credentials: unknown to a preview made offline.
      const known = (value: string) => (preview ? pulumi.runtime.unknownValue : value);
      switch (args.token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
          return {
            accountId: known("123456789012"),
            id: known("123456789012"),
            arn: known("arn:aws:iam::123456789012:user/mock"),
            userId: known("AIDAMOCK"),
          };
        case "aws:index/getRegion:getRegion":
          return {
            region,
            name: region,
            id: region,
            description: region,
            endpoint: `ec2.${region}.amazonaws.com`,
          };
        default:
          break;
      }
      throw new Error(`The program calls ${args.token}, which the offline renderer does not know.`);
    },
  };
}
