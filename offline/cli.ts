/**
 * `npm start`: the offline preview. Runs the real program for a stack in-process under the Pulumi
 * runtime's mocks and prints what it would declare, or how two stacks differ, or (`--write`)
 * regenerates the committed renderings under `preview/`. See {@link USAGE}.
 */

// First: it changes how the modules below load (see the file).
import "./startup";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { PolicyEvaluator } from "../model/rendered";
import { evaluatePolicies, policyLevels } from "../policy/evaluate";
import { REGENERATE_COMMAND } from "./commands";
import { diffStack, formatStackDelta } from "./change-diff";
import { diffJson, diffViews, formatDiffText } from "./diff";
import { enforcementFor, enforcementLines, mandatoryFailure } from "./enforcement";
import { viewJson } from "./stable-json";
import { formatText } from "./text";
import { listStacks, PROJECT_DIR, readStackConfig, renderStack } from "./render";
import { checkOutRef, hasStack } from "./since";
import { toView, type StackView } from "./view";

/** Help text of the command. */
export const USAGE = `Usage: npm start -- [--stack <name>] [--json] [--diff <other stack> | --since <git ref>] [--config <key=value>]... [--policy-config <file>] [--write]

Renders what the program declares for a stack, offline, under the Pulumi runtime's mocks.
Exits 1 where pulumi preview would fail: a configuration problem, a mandatory policy violation.
  --stack <name>   the stack to render (default: dev); any stack with a Pulumi.<name>.yaml
  --json           stable, sorted JSON with every input of every resource, instead of text
  --diff <other>   how <other> differs from --stack, per resource and property
  --since <ref>    what the working tree changes in --stack since the git ref <ref> (a branch, tag
                   or commit), per resource and property, as pulumi preview --diff shows it
  --config k=v     override a config value for this run only, like pulumi preview --config (not saved)
  --policy-config <file>
                   the policy pack's configuration, like pulumi preview --policy-pack-config
                   (default: none: every policy at the pack's own level, which follows the stack's production flag)
  --write          regenerate preview/<stack>.json for every stack (${REGENERATE_COMMAND})
  --help           this text`;

/** The folder of the committed renderings. */
export const PREVIEW_DIR = path.join(PROJECT_DIR, "preview");

/**
 * Renders a stack as the offline preview shows it: preview values, wiring references, and the
 * verdicts of `evaluate` (the policy pack's evaluator; none when `undefined`).
 */
export async function renderView(
  stack: string,
  configOverrides: Readonly<Record<string, string>> = {},
  evaluate: PolicyEvaluator | undefined = evaluatePolicies,
  projectDir = PROJECT_DIR,
): Promise<StackView> {
  const preview = await renderStack({ stack, configOverrides, projectDir });
  // The same program again with the mocks' stand-ins, only to show how unknown values are built.
  const wiring = await renderStack({ stack, preview: false, configOverrides, projectDir });
  const policies = evaluate ? await evaluate(preview) : undefined;
  return toView(preview, wiring, policies);
}

/** Regenerates `preview/<stack>.json` for every stack and removes renderings of stacks that are gone. */
export async function writeRenderings(dir = PREVIEW_DIR): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const stacks = listStacks();
  const written: string[] = [];
  for (const stack of stacks) {
    const file = path.join(dir, `${stack}.json`);
    writeFileSync(file, viewJson(await renderView(stack)));
    written.push(file);
  }
  for (const f of readdirSync(dir)) {
    const stack = /^(.+)\.json$/.exec(f)?.[1];
    if (stack !== undefined && !stacks.includes(stack)) rmSync(path.join(dir, f));
  }
  return written;
}

/** `key=value` pairs; a key without a namespace belongs to the project, as with the Pulumi CLI. */
function parseOverrides(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--config expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    out[key.includes(":") ? key : `${readStackProject()}:${key}`] = pair.slice(eq + 1);
  }
  return out;
}

function readStackProject(): string {
  return readStackConfig(listStacks()[0] ?? "dev").project;
}

class UsageError extends Error {}

/** `--since`: the stack at `ref` against the working tree, as `pulumi preview --diff` reads. */
async function since(
  stack: string,
  ref: string,
  overrides: Readonly<Record<string, string>>,
): Promise<string> {
  const now = await renderView(stack, overrides, undefined);
  const tree = checkOutRef(ref, PROJECT_DIR);
  try {
    const then = hasStack(tree.dir, stack)
      ? await renderView(stack, overrides, undefined, tree.dir)
      : undefined;
    const heading = [
      `Offline diff of stack "${stack}" (project ${now.project}): ${ref} (${tree.commit}) → the working tree.`,
      "Both rendered in-process under the Pulumi runtime's mocks; nothing was read from the cloud or the state.",
      ...(then ? [] : [`The stack has no Pulumi.${stack}.yaml at ${ref}: everything is new.`]),
      "  + create   - delete   ~ update   +- replace (the provider deletes it and creates it again)   ↕ moved in a list",
    ];
    return formatStackDelta(diffStack(then, now), heading);
  } finally {
    tree.remove();
  }
}

/** What a run prints, and its exit code. */
interface Outcome {
  readonly stdout: string;
  readonly stderr?: string;
  readonly code: number;
}

async function main(argv: string[]): Promise<Outcome> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string", short: "s", default: "dev" },
      json: { type: "boolean", default: false },
      diff: { type: "string" },
      since: { type: "string" },
      config: { type: "string", short: "c", multiple: true, default: [] },
      "policy-config": { type: "string" },
      write: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { stdout: `${USAGE}\n`, code: 0 };
  if (values.write) {
    const files = await writeRenderings();
    return { stdout: files.map((f) => `wrote ${path.relative(process.cwd(), f)}\n`).join(""), code: 0 };
  }
  const overrides = parseOverrides(values.config);
  if (values.since !== undefined) {
    if (values.diff !== undefined || values.json)
      throw new UsageError("--since goes with neither --diff nor --json");
    return { stdout: await since(values.stack, values.since, overrides), code: 0 };
  }
  const enforcement = enforcementFor(values["policy-config"]);
  const base = await renderView(values.stack, overrides, (m) => evaluatePolicies(m, enforcement.config));
  if (values.diff !== undefined) {
    const d = diffViews(base, await renderView(values.diff, overrides));
    return { stdout: values.json ? diffJson(d) : formatDiffText(d, base.project), code: 0 };
  }
  const stdout = values.json
    ? viewJson(base)
    : `${formatText(base)}${enforcementLines(enforcement, policyLevels(enforcement.config)).join("\n")}\n`;
  const failure = mandatoryFailure(base.policies ?? [], enforcement);
  return failure ? { stdout, stderr: `${failure}\n`, code: 1 } : { stdout, code: 0 };
}

function finish(text: string, stream: NodeJS.WriteStream, code: number): void {
  // Exit explicitly once written: the Pulumi runtime may keep handles open after a mocked run.
  stream.write(text, () => process.exit(code));
}

main(process.argv.slice(2)).then(
  ({ stdout, stderr, code }) =>
    stderr
      ? process.stdout.write(stdout, () => finish(stderr, process.stderr, code))
      : finish(stdout, process.stdout, code),
  (error: unknown) => {
    const usage =
      error instanceof UsageError ||
      (error instanceof TypeError &&
        (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true);
    if (usage) return finish(`${error.message}\n\n${USAGE}\n`, process.stderr, 2);
    // The program's own message (e.g. a ConfigError), as `pulumi preview` reports it.
    const message = error instanceof Error ? error.message : String(error);
    finish(`error: ${message}\n`, process.stderr, 1);
  },
);
