import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../offline/render";
import { policies, webClientSessionTransfer } from "../policy/rules";

// The runtime libraries of @pulumi/pulumi's generated gRPC code, resolved from where it lives.
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = fromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb") as {
  Empty: new () => import("google-protobuf/google/protobuf/empty_pb").Empty;
};
const { Struct } = fromPulumi(
  "google-protobuf/google/protobuf/struct_pb",
) as typeof import("google-protobuf/google/protobuf/struct_pb");

const POLICY_DIR = path.join(PROJECT_DIR, "policy");

/**
 * Starts the pack the way the CLI's `pulumi-analyzer-policy` does for `--policy-pack policy`:
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine> .` in the pack's folder, resolving
 * everything from the project's node_modules, with TypeScript compiled and type-checked by ts-node.
 * The pack prints the port of its gRPC server.
 */
function startPack(): Promise<{ child: ChildProcess; port: number }> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
  const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], {
    cwd: POLICY_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const port = /^(\d+)\s*$/m.exec(out);
      if (port) resolve({ child, port: Number(port[1]) });
    });
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving:\n${err}`)));
  });
}

/** Turns a gRPC callback into a promise. */
function settle<T>(run: (cb: (e: Error | null, res: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((e, res) => (e ? reject(e) : resolve(res))));
}

describe("the pack as the Pulumi CLI loads it (policy/PulumiPolicy.yaml, policy/package.json)", () => {
  let child: ChildProcess | undefined;
  let client: AnalyzerClient;

  beforeAll(async () => {
    const pack = await startPack();
    child = pack.child;
    client = new AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure());
  }, 120_000);

  afterAll(() => {
    client?.close();
    if (child?.pid) process.kill(child.pid);
  });

  it("serves every policy of rules/ under the pack's name and version", async () => {
    const info = await settle<analyzer.AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
    expect(info.getName()).toBe("native-web-sso");
    expect(info.getVersion()).toBe("0.1.0");
    expect(info.getPoliciesList().map((p) => p.getName())).toEqual(policies.map((p) => p.name));
    expect(
      info
        .getPoliciesList()
        .filter((p) => p.getEnforcementlevel() !== analyzer.EnforcementLevel.MANDATORY)
        .map((p) => p.getName()),
    ).toEqual(["session-transfer-device-binding-outside-production"]);
  });

  it("reports a web client with an http login URI as a mandatory violation with the rule's message", async () => {
    const req = new analyzer.AnalyzeRequest();
    req.setType("auth0:index/client:Client");
    req.setName("web-client");
    req.setUrn(
      "urn:pulumi:dev::native-web-sso::native-web-sso:auth0:WebApp$auth0:index/client:Client::web-client",
    );
    req.setOptions(new analyzer.AnalyzerResourceOptions());
    req.setProperties(
      Struct.fromJavaScript({
        name: "Acme Web (dev)",
        appType: "regular_web",
        callbacks: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"],
        initiateLoginUri: "http://sso.acme.com/login",
        sessionTransfer: { allowedAuthenticationMethods: ["cookie", "query"], enforceDeviceBinding: "asn" },
      }),
    );
    const res = await settle<analyzer.AnalyzeResponse>((cb) => client.analyze(req, cb));
    const found = res
      .getDiagnosticsList()
      .map((d) => [d.getPolicyname(), d.getEnforcementlevel(), d.getMessage()]);
    // The CLI shows the policy's description, then the violation.
    expect(found).toEqual([
      [
        "web-client-session-transfer",
        analyzer.EnforcementLevel.MANDATORY,
        `${webClientSessionTransfer.description}\nWeb client "Acme Web (dev)" has initiateLoginUri "http://sso.acme.com/login": expected https (Auth0 accepts no other scheme for a web app).`,
      ],
    ]);
  });

  /** The verdicts of device binding "none" on a native client of `stack`, as the CLI receives them. */
  async function unboundNativeClient(stack: string): Promise<(string | number)[][]> {
    const req = new analyzer.AnalyzeRequest();
    req.setType("auth0:index/client:Client");
    req.setName("native-client");
    req.setUrn(
      `urn:pulumi:${stack}::native-web-sso::native-web-sso:auth0:NativeApp$auth0:index/client:Client::native-client`,
    );
    req.setOptions(new analyzer.AnalyzerResourceOptions());
    req.setProperties(
      Struct.fromJavaScript({
        name: `Acme Native (${stack})`,
        appType: "native",
        grantTypes: ["authorization_code", "refresh_token"],
        refreshToken: { rotationType: "rotating", expirationType: "expiring" },
        sessionTransfer: { canCreateSessionTransferToken: true, enforceDeviceBinding: "none" },
      }),
    );
    const res = await settle<analyzer.AnalyzeResponse>((cb) => client.analyze(req, cb));
    return res.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getEnforcementlevel()]);
  }

  it("reads the stack's production flag from its stack file: mandatory in prod, advisory in dev, with no policy config", async () => {
    expect(await unboundNativeClient("prod")).toEqual([
      ["session-transfer-device-binding", analyzer.EnforcementLevel.MANDATORY],
    ]);
    expect(await unboundNativeClient("dev")).toEqual([
      ["session-transfer-device-binding-outside-production", analyzer.EnforcementLevel.ADVISORY],
    ]);
    // A stack with no stack file the pack can read is held to production.
    expect(await unboundNativeClient("staging")).toEqual([
      ["session-transfer-device-binding", analyzer.EnforcementLevel.MANDATORY],
    ]);
  });
});
