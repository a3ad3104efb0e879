import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { createMocks } from "./mocks";
import { outputState, recordRegistrations, waitForRPCs } from "./sdk-internals";
import {
  ArchiveValue,
  Secret,
  Unknown,
  type ModelResource,
  type ModelValue,
  type StackModel,
} from "../model/rendered";
import { listStacks } from "../model/stacks";

/** The project's root folder (where `Pulumi.yaml` is). */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** Options of {@link renderStack}. */
export interface RenderOptions {
  /** Stack name; `Pulumi.<stack>.yaml` must exist unless `config` is given. */
  readonly stack: string;
  /**
   * `true` (the default): render as `pulumi preview` sees a new stack, cloud-assigned values unknown.
   * `false`: fill them with visibly fake values (`mock-...`) so tests can follow the wiring.
   */
  readonly preview?: boolean;
  /** Replace or remove (`undefined`) configuration values after the stack file is read. */
  readonly configOverrides?: Readonly<Record<string, string | undefined>>;
  /** The project folder; defaults to this repository. */
  readonly projectDir?: string;
  /**
   * Loads the program once, fresh. Defaults to `require` with the project's modules purged from
   * the cache; under vitest pass `() => { vi.resetModules(); return import("../index"); }`.
   */
  readonly loadProgram?: () => Promise<Record<string, unknown>>;
}

/** A stack's configuration as the Pulumi CLI hands it to the program. */
export interface StackConfigFile {
  readonly project: string;
  readonly config: Record<string, string>;
  /** Keys whose values are `secure:` in the stack file (encrypted: the offline renderer cannot read them). */
  readonly secretKeys: string[];
}

/** Stacks that have a `Pulumi.<name>.yaml` in the project (one list, in `model/stacks.ts`). */
export { listStacks };

function configString(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the CLI does: the stack file's values,
 * then the project's declared defaults for keys the stack does not set.
 */
export function readStackConfig(stack: string, projectDir = PROJECT_DIR): StackConfigFile {
  const project = parseYaml(readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config?: Record<string, { default?: unknown } | unknown>;
  };
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw new Error(
      `No stack file Pulumi.${stack}.yaml in ${projectDir}. Stacks here: ${listStacks(projectDir).join(", ") || "none"}.`,
    );
  }
  const stackFile = (parseYaml(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(stackFile.config ?? {})) {
    if (value !== null && typeof value === "object" && "secure" in value) {
      config[key] = "[secret]";
      secretKeys.push(key);
    } else {
      config[key] = configString(value);
    }
  }
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    const full = key.includes(":") ? key : `${project.name}:${key}`;
    if (full in config) continue;
    if (decl !== null && typeof decl === "object" && "default" in decl) {
      config[full] = configString((decl as { default: unknown }).default);
    }
  }
  return { project: project.name, config, secretKeys };
}

async function toModel(v: unknown): Promise<ModelValue> {
  if (v === undefined || v === null) return null;
  if (pulumi.isUnknown(v)) return Unknown.instance;
  if (typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v)) return Promise.all(v.map(toModel));
  if (pulumi.asset.Archive.isInstance(v) || pulumi.asset.Asset.isInstance(v)) return archiveValue(v);
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig)
      return new Secret(await toModel(o.value));
    const out: Record<string, ModelValue> = {};
    for (const key of Object.keys(o).sort()) {
      if (o[key] !== undefined) out[key] = await toModel(o[key]);
    }
    return out;
  }
  return String(v);
}

async function archiveValue(v: pulumi.asset.Archive | pulumi.asset.Asset): Promise<ArchiveValue> {
  const files: Record<string, { bytes: number; sha256: string }> = {};
  const add = async (name: string, a: unknown): Promise<void> => {
    if (a instanceof pulumi.asset.StringAsset) {
      const text = String(await (a.text as unknown as Promise<string>));
      files[name] = {
        bytes: Buffer.byteLength(text),
        sha256: createHash("sha256").update(text).digest("hex"),
      };
    } else if (a instanceof pulumi.asset.FileAsset) {
      const data = readFileSync(String(await (a.path as unknown as Promise<string>)));
      files[name] = { bytes: data.length, sha256: createHash("sha256").update(data).digest("hex") };
    } else {
      throw new Error(`The offline renderer cannot hash ${name}: only string and file assets are supported.`);
    }
  };
  if (v instanceof pulumi.asset.AssetArchive) {
    const assets = (await (v.assets as unknown as Promise<Record<string, unknown>>)) ?? {};
    for (const name of Object.keys(assets).sort()) await add(name, assets[name]);
  } else {
    await add("", v);
  }
  const h = createHash("sha256");
  for (const name of Object.keys(files).sort()) h.update(`${name}\0${files[name].sha256}\n`);
  return new ArchiveValue(h.digest("hex"), files);
}

async function outputToModel(v: unknown): Promise<ModelValue> {
  // A plain object or list is sent property by property, as the SDK serializes stack outputs: one
  // unknown inside leaves the others known.
  if (!pulumi.Output.isInstance(v) && !isPromiseLike(v)) {
    if (Array.isArray(v)) return Promise.all(v.map(outputToModel));
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, ModelValue> = {};
      for (const key of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[key];
        if (x !== undefined) out[key] = await outputToModel(x);
      }
      return out;
    }
  }
  const o = await outputState(v);
  const value = o.known ? await toModel(await o.value()) : Unknown.instance;
  return o.secret ? new Secret(value) : value;
}

function isPromiseLike(v: unknown): boolean {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}

function purgeProjectModules(projectDir: string): void {
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(projectDir + path.sep) && !key.includes(`${path.sep}node_modules${path.sep}`)) {
      delete require.cache[key];
    }
  }
}

function defaultLoader(projectDir: string): () => Promise<Record<string, unknown>> {
  return async () => {
    if (typeof require !== "function") {
      throw new Error("renderStack: no CommonJS require here; pass options.loadProgram");
    }
    purgeProjectModules(projectDir);
    // The program is CommonJS, as the Pulumi CLI runs it; a fresh require re-runs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(projectDir, "index.ts")) as Record<string, unknown>;
  };
}

/** Lets pending registrations finish: resources wait on their inputs before they register. */
async function settle(inFlight: () => number, registered: () => number): Promise<void> {
  let last = -1;
  let quiet = 0;
  for (let i = 0; i < 10_000 && quiet < 5; i++) {
    await waitForRPCs();
    await new Promise((r) => setImmediate(r));
    const n = registered();
    quiet = inFlight() === 0 && n === last ? quiet + 1 : 0;
    last = n;
  }
}

let renderQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs the real program (`index.ts`) for a stack in-process under the Pulumi runtime's mocks and
 * returns what it declares. Nothing leaves the machine. Renders run one at a time, because the
 * Pulumi runtime's state is process-wide.
 * @throws the program's own error (e.g. a ConfigError) exactly as `pulumi preview` would show it.
 */
export function renderStack(options: RenderOptions): Promise<StackModel> {
  const run = renderQueue.then(() => renderOnce(options));
  renderQueue = run.catch(() => undefined);
  return run;
}

async function renderOnce(options: RenderOptions): Promise<StackModel> {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const preview = options.preview ?? true;
  const file = readStackConfig(options.stack, projectDir);
  const config: Record<string, string> = { ...file.config };
  for (const [k, v] of Object.entries(options.configOverrides ?? {})) {
    if (v === undefined) delete config[k];
    else config[k] = v;
  }
  const region = config["aws:region"] ?? "us-east-1";

  await pulumi.runtime.setMocks(createMocks(preview, region), file.project, options.stack, preview);
  pulumi.runtime.setAllConfig(config, file.secretKeys);

  const pending: Promise<ModelResource>[] = [];
  const { inFlight } = recordRegistrations((req, urn) => {
    pending.push(
      (async (): Promise<ModelResource> => {
        const inputs = pulumi.runtime.deserializeProperties(
          req.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0],
          true,
        ) as Record<string, unknown>;
        const modelInputs = (await toModel(inputs)) as Record<string, ModelValue>;
        return {
          urn: await urn,
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent(),
          custom: req.getCustom(),
          protect: req.getProtect() === true,
          inputs: modelInputs,
          additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()].sort(),
          dependsOn: [...req.getDependenciesList()].sort(),
        };
      })(),
    );
  });

  const exports = await (options.loadProgram ?? defaultLoader(projectDir))();
  const outputs: Record<string, ModelValue> = {};
  for (const key of Object.keys(exports).sort()) {
    if (key === "__esModule" || key === "default") continue;
    outputs[key] = await outputToModel(exports[key]);
  }
  await settle(inFlight, () => pending.length);

  const stackUrn = `urn:pulumi:${options.stack}::${file.project}::pulumi:pulumi:Stack::${file.project}-${options.stack}`;
  const resources = (await Promise.all(pending))
    .filter((r) => r.urn !== "")
    .map((r) => ({ ...r, parent: r.parent === "" ? stackUrn : r.parent }))
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));

  return { project: file.project, stack: options.stack, preview, stackUrn, config, resources, outputs };
}
