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
import { evaluatePolicies } from "../policy/evaluate";
import { REGENERATE_COMMAND } from "./commands";
import { diffJson, diffViews, formatDiffText } from "./diff";
import { viewJson } from "./stable-json";
import { formatText } from "./text";
import { listStacks, PROJECT_DIR, readStackConfig, renderStack } from "./render";
import { toView, type StackView } from "./view";

/** Help text of the command. */
export const USAGE = `Usage: npm start -- [--stack <name>] [--json] [--diff <other stack>] [--config <key=value>]... [--write]

Renders what the program declares for a stack, offline, under the Pulumi runtime's mocks.
  --stack <name>   the stack to render (default: dev); any stack with a Pulumi.<name>.yaml
  --json           stable, sorted JSON with every input of every resource, instead of text
  --diff <other>   how <other> differs from --stack, per resource and property
  --config k=v     override a config value for this run only, like pulumi preview --config (not saved)
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
): Promise<StackView> {
  const preview = await renderStack({ stack, configOverrides });
  // The same program again with the mocks' stand-ins, only to show how unknown values are built.
  const wiring = await renderStack({ stack, preview: false, configOverrides });
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

async function main(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string", short: "s", default: "dev" },
      json: { type: "boolean", default: false },
      diff: { type: "string" },
      config: { type: "string", short: "c", multiple: true, default: [] },
      write: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return `${USAGE}\n`;
  if (values.write) {
    const files = await writeRenderings();
    return files.map((f) => `wrote ${path.relative(process.cwd(), f)}\n`).join("");
  }
  const overrides = parseOverrides(values.config);
  const base = await renderView(values.stack, overrides);
  if (values.diff !== undefined) {
    const d = diffViews(base, await renderView(values.diff, overrides));
    return values.json ? diffJson(d) : formatDiffText(d, base.project);
  }
  return values.json ? viewJson(base) : formatText(base);
}

function finish(text: string, stream: NodeJS.WriteStream, code: number): void {
  // Exit explicitly once written: the Pulumi runtime may keep handles open after a mocked run.
  stream.write(text, () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (text) => finish(text, process.stdout, 0),
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
