/**
 * Runs the policy pack the way `pulumi preview --policy-pack policy` does, and plays the engine's
 * part of the Analyzer protocol against it.
 *
 * Starting it, as the Node.js language host's `RunPlugin` does for a plugin of kind `analyzer`
 * (pulumi/pulumi `sdk/nodejs/cmd/pulumi-language-nodejs/main.go`; the engine side in
 * `sdk/go/common/resource/plugin/analyzer_plugin.go`, `NewPolicyAnalyzer`):
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine address> <pack dir>` with the pack's folder as
 * working directory, `PULUMI_NODEJS_TYPESCRIPT=true` (the `typescript` runtime option, on by
 * default), and what the host's policy proxy learns from the engine's `ConfigureStack` before it
 * starts the pack (`sdk/policy_proxy.go`): `PULUMI_NODEJS_ORGANIZATION`, `_PROJECT`, `_STACK`,
 * `_DRY_RUN` and the stack's config as `PULUMI_CONFIG` (`{"<namespace>:<key>": "<value>"}`, the
 * keys as `config.Key.String()` spells them). The pack prints its port on stdout
 * (`@pulumi/policy` `server.js`, `serve`).
 *
 * Then, as the engine (`pkg/engine/update.go`, `pkg/resource/deploy/step_generator.go`):
 * `ConfigureStack`, `GetAnalyzerInfo`, `Configure` with the reconciled policy configuration
 * (`pkg/resource/analyzer/config.go`, `ReconcilePolicyPackConfig`: every policy at the level the
 * pack reports, its schema's defaults, then the configuration file), `Analyze` for each resource in
 * registration order and `AnalyzeStack` with all of them.
 *
 * Simplified, and the same on the offline side: no provider plugin runs, so `Analyze` gets the
 * inputs the program registered, not the provider's `Check`ed inputs (defaults added), and
 * `AnalyzeStack` gets those inputs as a new resource's outputs (the stand-in's answer to the
 * registration; components: what they registered as outputs). The engine's default provider
 * resources (`pulumi:providers:*`) are neither registered nor analyzed, and no `provider` is sent
 * with a resource: no rule of the pack reads either.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { startEngine, type LogEntry, type Registration } from "../../testkit/language-host/engine";

const sdkRequire = createRequire(require.resolve("@pulumi/pulumi"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const analyzerGrpc = sdkRequire("./proto/analyzer_grpc_pb") as {
  AnalyzerClient: new (address: string, credentials: import("@grpc/grpc-js").ChannelCredentials) => Client;
};
const analyzerproto = sdkRequire("./proto/analyzer_pb") as Record<string, new () => Message> & {
  EnforcementLevel: Record<string, number>;
  AnalyzerResourceOptions: (new () => Message) & { CustomTimeouts: new () => Message };
};
const emptyproto = sdkRequire("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => Message };
const structproto = sdkRequire("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(v: Record<string, unknown>): Message };
};

/** The parts of a protobuf message this module touches (getters and setters by field). */
type Message = Record<string, (...args: never[]) => unknown> & {
  toJavaScript?: () => Record<string, unknown>;
};
type Client = Record<string, (req: Message, cb: (err: Error | null, resp: Message) => void) => void> & {
  close(): void;
};

const call = (m: Message, name: string, ...args: unknown[]): unknown =>
  (m[name] as (...a: unknown[]) => unknown)(...args);

function rpc(client: Client, method: string, req: Message): Promise<Message> {
  return new Promise((resolve, reject) =>
    client[method](req, (err, resp) => (err ? reject(err) : resolve(resp))),
  );
}

type Level = "advisory" | "mandatory" | "disabled" | "remediate";
const LEVEL_NAMES = new Map<number, Level>(
  Object.entries(analyzerproto.EnforcementLevel).map(([k, v]) => [v, k.toLowerCase() as Level]),
);
const levelName = (n: unknown): Level => {
  const name = LEVEL_NAMES.get(Number(n));
  if (name === undefined) throw new Error(`unknown enforcement level ${String(n)}`);
  return name;
};

/** One violation as the engine reports it: attributed to a resource, the policy's own message. */
export interface PackVerdict {
  readonly policy: string;
  readonly enforcement: Level;
  readonly urn: string;
  /** The message, without the policy description `@pulumi/policy` puts before it. */
  readonly message: string;
}

/** What the pack said about one stack. */
export interface PackRun {
  readonly pack: string;
  readonly version: string;
  /** Each policy's level after `Configure`, in the pack's order. */
  readonly levels: readonly (readonly [string, Level])[];
  readonly verdicts: readonly PackVerdict[];
  readonly stderr: string;
  readonly logs: readonly LogEntry[];
}

/** Which pack to start, and for which stack. */
export interface PackStart {
  readonly packDir: string;
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  /** The stack's config, `<namespace>:<key>` to its string value. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /** The policy configuration file's content (`--policy-pack-config`); `{}` when none. */
  readonly policyConfig: PolicyPackConfig;
}

/** A pack started and configured, waiting for the program's resources. */
export interface RunningPack {
  /**
   * Analyzes what the program registered under the host, in registration order.
   * @param componentOutputs what each component registered as its outputs, by URN
   */
  analyze(
    resources: readonly Registration[],
    componentOutputs: ReadonlyMap<string, Record<string, unknown>>,
  ): Promise<PackRun>;
  /** Stops the pack and its stand-in engine. */
  stop(): Promise<void>;
}

interface PolicyDefaults {
  readonly name: string;
  readonly description: string;
  level: Level;
  properties: Record<string, unknown>;
}

/** `ReconcilePolicyPackConfig`: the pack's defaults, its initial config, then the file; "all" first. */
function reconcile(defaults: PolicyDefaults[], layers: readonly PolicyPackConfig[]): PolicyDefaults[] {
  for (const layer of layers) {
    const all = layer.all;
    const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
    if (allLevel) for (const d of defaults) d.level = allLevel;
    for (const d of defaults) {
      const c = layer[d.name];
      if (c === undefined) continue;
      if (typeof c === "string") d.level = c;
      else {
        const { enforcementLevel, ...properties } = c;
        if (enforcementLevel) d.level = enforcementLevel;
        d.properties = { ...d.properties, ...properties };
      }
    }
  }
  return defaults;
}

// The wire's signatures (`@pulumi/pulumi` `runtime/rpc.js`: specialSigKey, specialResourceSig).
const SIG = "4dabf18193072939515e22adb298388d";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * A value as the engine marshals it for an analyzer (`sdk/go/common/resource/plugin/rpc.go`,
 * MarshalPropertyValue with KeepUnknowns, KeepSecrets, SkipInternalKeys and no KeepResources): a
 * resource reference becomes its ID (unknown until the resource exists) or, for a component, its
 * URN; keys starting with `__` are dropped; secrets and unknowns stay as they are.
 */
function forAnalyzer(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(forAnalyzer);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o[SIG] === RESOURCE_SIG) {
    if (!("id" in o)) return o.urn;
    return o.id === "" || o.id === UNKNOWN ? UNKNOWN : o.id;
  }
  return Object.fromEntries(
    Object.entries(o)
      .filter(([k]) => !k.startsWith("__"))
      .map(([k, x]) => [k, forAnalyzer(x)]),
  );
}

const properties = (v: Record<string, unknown>): Message =>
  structproto.Struct.fromJavaScript(forAnalyzer(v) as Record<string, unknown>);

function options(r: Registration): Message {
  const o = new analyzerproto.AnalyzerResourceOptions();
  call(o, "setProtect", r.protect);
  call(o, "setIgnorechangesList", [...r.ignoreChanges]);
  call(o, "setDeletebeforereplacedefined", r.deleteBeforeReplace !== undefined);
  call(o, "setDeletebeforereplace", r.deleteBeforeReplace === true);
  call(o, "setAdditionalsecretoutputsList", [...r.additionalSecretOutputs]);
  call(o, "setAliasesList", [...r.aliases]);
  call(o, "setCustomtimeouts", new analyzerproto.AnalyzerResourceOptions.CustomTimeouts());
  call(o, "setParent", r.parent);
  return o;
}

/**
 * Starts the pack under the host's entry point and configures it, as the engine does before it runs
 * the program (`pkg/engine/update.go`, loadPolicyPlugins). The caller must `stop` it.
 */
export async function startPack(req: PackStart): Promise<RunningPack> {
  const engine = await startEngine(req.project, req.stack, {});
  const runPath = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [req.packDir] });
  const packDir = path.resolve(req.packDir);
  const child = spawn(process.execPath, [runPath, engine.address, packDir], {
    cwd: packDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      PULUMI_NODEJS_TYPESCRIPT: "true",
      PULUMI_NODEJS_ORGANIZATION: req.organization,
      PULUMI_NODEJS_PROJECT: req.project,
      PULUMI_NODEJS_STACK: req.stack,
      PULUMI_NODEJS_DRY_RUN: "true",
      PULUMI_CONFIG: JSON.stringify(req.config),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // The pack serves until stopped: never leave it behind, even when the test process exits early.
  const kill = () => child.kill();
  process.once("exit", kill);
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  let client: Client | undefined;
  const stop = async () => {
    client?.close();
    child.kill();
    await exited;
    process.removeListener("exit", kill);
    await engine.stop();
  };
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        const line = /^(\d+)\n/.exec(stdout);
        if (line) resolve(line[1]);
      });
      void exited.then((code) => reject(new Error(`the pack exited (${code}) before serving:\n${stderr}`)));
    });
    const analyzer = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    client = analyzer;

    // What the host's policy proxy forwards to the pack once it serves (policy_proxy.go, Attach).
    const stackConfig = new analyzerproto.AnalyzerStackConfigureRequest();
    call(stackConfig, "setStack", req.stack);
    call(stackConfig, "setProject", req.project);
    call(stackConfig, "setOrganization", req.organization);
    call(stackConfig, "setDryRun", true);
    const configMap = call(stackConfig, "getConfigMap") as Map<string, string>;
    for (const [k, v] of Object.entries(req.config)) configMap.set(k, v);
    call(stackConfig, "setConfigSecretKeysList", [...req.secretKeys]);
    await rpc(analyzer, "configureStack", stackConfig);

    const info = await rpc(analyzer, "getAnalyzerInfo", new emptyproto.Empty());
    const initial: PolicyPackConfig = {};
    (call(info, "getInitialconfigMap") as Map<string, Message>).forEach((c, name) => {
      initial[name] = {
        enforcementLevel: levelName(call(c, "getEnforcementlevel")),
        ...((call(c, "getProperties") as Message | undefined)?.toJavaScript?.() ?? {}),
      };
    });
    const defaults = (call(info, "getPoliciesList") as Message[]).map((p): PolicyDefaults => {
      const schema = call(p, "getConfigschema") as Message | undefined;
      const props = schema ? (call(schema, "getProperties") as Message | undefined) : undefined;
      const properties: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(props?.toJavaScript?.() ?? {})) {
        if (v !== null && typeof v === "object" && "default" in v)
          properties[k] = (v as { default: unknown }).default;
      }
      return {
        name: String(call(p, "getName")),
        description: String(call(p, "getDescription")),
        level: levelName(call(p, "getEnforcementlevel")),
        properties,
      };
    });
    const policies = reconcile(defaults, [initial, req.policyConfig]);
    const configure = new analyzerproto.ConfigureAnalyzerRequest();
    const policyConfig = call(configure, "getPolicyconfigMap") as Map<string, Message>;
    for (const p of policies) {
      const c = new analyzerproto.PolicyConfig();
      call(c, "setEnforcementlevel", analyzerproto.EnforcementLevel[p.level.toUpperCase()]);
      call(c, "setProperties", structproto.Struct.fromJavaScript(p.properties));
      policyConfig.set(p.name, c);
    }
    await rpc(analyzer, "configure", configure);

    const descriptions = new Map(policies.map((p) => [p.name, p.description]));
    const verdictsOf = (resp: Message, attribute: (diagUrn: string) => string): PackVerdict[] =>
      (call(resp, "getDiagnosticsList") as Message[]).map((d) => {
        const policy = String(call(d, "getPolicyname"));
        const message = String(call(d, "getMessage"));
        // `@pulumi/policy` reports a string violation as "<description>\n<message>" (`server.js`,
        // makeReportViolationFun); the offline preview keeps the policy's message alone.
        const prefix = `${descriptions.get(policy)}\n`;
        const level = levelName(call(d, "getEnforcementlevel"));
        return {
          policy,
          // The engine downgrades a remediate violation to mandatory (analyze_snapshot.go, analyzeResource).
          enforcement: level === "remediate" ? "mandatory" : level,
          urn: attribute(String(call(d, "getUrn"))),
          message: message.startsWith(prefix) ? message.slice(prefix.length) : message,
        };
      });

    const analyze = async (
      resources: readonly Registration[],
      componentOutputs: ReadonlyMap<string, Record<string, unknown>>,
    ): Promise<PackRun> => {
      const urns = new Set(resources.map((r) => r.urn));
      const root = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
      const verdicts: PackVerdict[] = [];
      for (const r of resources) {
        const one = new analyzerproto.AnalyzeRequest();
        call(one, "setUrn", r.urn);
        call(one, "setType", r.type);
        call(one, "setName", r.name);
        call(one, "setProperties", properties(r.inputs));
        call(one, "setOptions", options(r));
        // A resource policy's violation is the analyzed resource's (analyze_snapshot.go, analyzeResource).
        verdicts.push(...verdictsOf(await rpc(analyzer, "analyze", one), () => r.urn));
      }
      const all = new analyzerproto.AnalyzeStackRequest();
      call(
        all,
        "setResourcesList",
        resources.map((r) => {
          const res = new analyzerproto.AnalyzerResource();
          call(res, "setUrn", r.urn);
          call(res, "setType", r.type);
          call(res, "setName", r.name);
          const outputs = r.custom ? r.inputs : (componentOutputs.get(r.urn) ?? {});
          call(res, "setProperties", properties(outputs));
          call(res, "setOptions", options(r));
          call(res, "setParent", r.parent);
          call(res, "setDependenciesList", [...r.dependencies]);
          const deps = call(res, "getPropertydependenciesMap") as Map<string, Message>;
          for (const [k, v] of Object.entries(r.propertyDependencies)) {
            if (v.length === 0) continue;
            const d = new analyzerproto.AnalyzerPropertyDependencies();
            call(d, "setUrnsList", [...v]);
            deps.set(k, d);
          }
          return res;
        }),
      );
      // A stack policy's violation names a resource of the stack, else the stack itself
      // (analyze_snapshot.go, resolveStackPolicyViolationURN).
      const stackResponse = await rpc(analyzer, "analyzeStack", all);
      verdicts.push(...verdictsOf(stackResponse, (u) => (urns.has(u) ? u : root)));
      return {
        pack: String(call(info, "getName")),
        version: String(call(info, "getVersion")),
        levels: policies.map((p) => [p.name, p.level] as const),
        verdicts,
        stderr,
        logs: engine.record.logs,
      };
    };
    return { analyze, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
