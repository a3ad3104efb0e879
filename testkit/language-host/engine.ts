/**
 * A stand-in for the Pulumi engine during `pulumi preview`, over gRPC, built on the stubs
 * `@pulumi/pulumi` ships (`proto/engine_grpc_pb`, `proto/resource_grpc_pb`) and the `@grpc/grpc-js`
 * it uses. It answers the way the engine answers a preview of a new stack (pulumi/pulumi
 * `pkg/resource/deploy/source_eval.go`, `step_generator.go`): a resource's URN from its parent's
 * type chain, no ID, its inputs back as its outputs (whatever the provider computes stays unknown),
 * and it records what the program registered and logged. Invokes answer from a table: the real
 * provider would read them from the deploying credentials.
 */
import { createRequire } from "node:module";

const sdkRequire = createRequire(require.resolve("@pulumi/pulumi"));
// The copies the SDK itself loads: the same message classes the program's runtime serializes with.
const grpc = sdkRequire("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const resourceGrpc = sdkRequire("./proto/resource_grpc_pb") as {
  ResourceMonitorService: import("@grpc/grpc-js").ServiceDefinition;
};
const engineGrpc = sdkRequire("./proto/engine_grpc_pb") as {
  EngineService: import("@grpc/grpc-js").ServiceDefinition;
};
const resproto = sdkRequire("./proto/resource_pb") as Record<string, new () => Message>;
const engineproto = sdkRequire("./proto/engine_pb") as Record<string, new () => Message>;
const providerproto = sdkRequire("./proto/provider_pb") as Record<string, new () => Message>;
const emptyproto = sdkRequire("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => Message };
const structproto = sdkRequire("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(v: Record<string, unknown>): Message };
};

/** The parts of a protobuf message this stand-in touches (getters and setters by field). */
type Message = Record<string, (...args: never[]) => unknown> & {
  toJavaScript?: () => Record<string, unknown>;
};
type Call = { request: Message };
type Callback = (err: Error | null, resp?: unknown) => void;

/** One resource as the program registered it. */
export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string;
  readonly protect: boolean;
  readonly inputs: Record<string, unknown>;
  /** The resources it depends on, in all and per input property (URNs). */
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly ignoreChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  /** `undefined` when the program left the option unset. */
  readonly deleteBeforeReplace: boolean | undefined;
  /** The alias URNs the SDK computed (the stand-in does not report the `aliasSpecs` feature). */
  readonly aliases: readonly string[];
}

/** One message the program logged through the engine. */
export interface LogEntry {
  readonly severity: number;
  readonly message: string;
  readonly urn: string;
}

/** What one run of a program registered and logged. */
export interface EngineRecord {
  readonly resources: Registration[];
  readonly logs: LogEntry[];
  outputs: Record<string, unknown> | undefined;
  /** What each component registered as its outputs (`registerOutputs`), by URN. */
  readonly componentOutputs: Map<string, Record<string, unknown>>;
}

/** Features the engine of Pulumi CLI 3.x reports; the others stay off, as the offline renderer's mocks. */
const FEATURES = new Set(["secrets", "resourceReferences"]);

/** A running stand-in engine and resource monitor on one loopback port. */
export interface StandInEngine {
  readonly address: string;
  readonly record: EngineRecord;
  stop(): Promise<void>;
}

const call = (m: Message, name: string, ...args: unknown[]): unknown =>
  (m[name] as (...a: unknown[]) => unknown)(...args);

/**
 * Starts the stand-in for one run of `project`/`stack`.
 * @param invokes the result of each function the program invokes, by token
 */
export async function startEngine(
  project: string,
  stack: string,
  invokes: Readonly<Record<string, Record<string, unknown>>>,
): Promise<StandInEngine> {
  const record: EngineRecord = { resources: [], logs: [], outputs: undefined, componentOutputs: new Map() };
  const typeByUrn = new Map<string, string>();
  let root = "";

  const monitor = {
    supportsFeature({ request }: Call, cb: Callback) {
      const resp = new resproto.SupportsFeatureResponse();
      call(resp, "setHassupport", FEATURES.has(String(call(request, "getId"))));
      cb(null, resp);
    },
    registerResource({ request }: Call, cb: Callback) {
      const type = String(call(request, "getType"));
      const name = String(call(request, "getName"));
      const parent = String(call(request, "getParent"));
      const parentType = parent === "" || parent === root ? "" : typeByUrn.get(parent);
      if (parentType === undefined) return cb(new Error(`unknown parent ${parent} of ${type}::${name}`));
      const qualified = parentType === "" ? type : `${parentType}$${type}`;
      const urn = `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
      typeByUrn.set(urn, qualified);
      if (type === "pulumi:pulumi:Stack") root = urn;
      const object = call(request, "getObject") as Message | undefined;
      const inputs = object?.toJavaScript?.() ?? {};
      const custom = call(request, "getCustom") === true;
      const propertyDependencies: Record<string, string[]> = {};
      (call(request, "getPropertydependenciesMap") as Map<string, Message>).forEach((deps, key) => {
        propertyDependencies[key] = call(deps, "getUrnsList") as string[];
      });
      record.resources.push({
        urn,
        type,
        name,
        custom,
        parent,
        protect: call(request, "getProtect") === true,
        inputs,
        dependencies: call(request, "getDependenciesList") as string[],
        propertyDependencies,
        ignoreChanges: call(request, "getIgnorechangesList") as string[],
        additionalSecretOutputs: call(request, "getAdditionalsecretoutputsList") as string[],
        deleteBeforeReplace:
          call(request, "getDeletebeforereplacedefined") === true
            ? call(request, "getDeletebeforereplace") === true
            : undefined,
        aliases: call(request, "getAliasurnsList") as string[],
      });
      const resp = new resproto.RegisterResourceResponse();
      call(resp, "setUrn", urn);
      call(resp, "setId", "");
      // A preview creates nothing: the outputs are the inputs, everything else unknown.
      call(resp, "setObject", structproto.Struct.fromJavaScript(custom ? inputs : {}));
      cb(null, resp);
    },
    registerResourceOutputs({ request }: Call, cb: Callback) {
      const urn = String(call(request, "getUrn"));
      const outputs = (call(request, "getOutputs") as Message | undefined)?.toJavaScript?.() ?? {};
      if (urn === root) record.outputs = outputs;
      else record.componentOutputs.set(urn, outputs);
      cb(null, new emptyproto.Empty());
    },
    invoke({ request }: Call, cb: Callback) {
      const token = String(call(request, "getTok"));
      const result = invokes[token];
      const resp = new providerproto.InvokeResponse();
      if (result === undefined) {
        const failure = new providerproto.CheckFailure();
        call(failure, "setReason", `the stand-in engine has no answer for ${token}`);
        call(resp, "setFailuresList", [failure]);
      } else call(resp, "setReturn", structproto.Struct.fromJavaScript(result));
      cb(null, resp);
    },
    signalAndWaitForShutdown(_: Call, cb: Callback) {
      cb(null, new emptyproto.Empty());
    },
  };
  const engine = {
    log({ request }: Call, cb: Callback) {
      record.logs.push({
        severity: Number(call(request, "getSeverity")),
        message: String(call(request, "getMessage")),
        urn: String(call(request, "getUrn")),
      });
      cb(null, new emptyproto.Empty());
    },
    getRootResource(_: Call, cb: Callback) {
      const resp = new engineproto.GetRootResourceResponse();
      call(resp, "setUrn", root);
      cb(null, resp);
    },
    setRootResource({ request }: Call, cb: Callback) {
      root = String(call(request, "getUrn"));
      cb(null, new engineproto.SetRootResourceResponse());
    },
  };

  const server = new grpc.Server();
  server.addService(
    resourceGrpc.ResourceMonitorService,
    monitor as unknown as import("@grpc/grpc-js").UntypedServiceImplementation,
  );
  server.addService(
    engineGrpc.EngineService,
    engine as unknown as import("@grpc/grpc-js").UntypedServiceImplementation,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    record,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
