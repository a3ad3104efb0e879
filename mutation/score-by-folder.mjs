/* global process, console, URL */
// Prints the mutation score of each top-level folder from Stryker's JSON report (mutation-testing-
// report-schema): killed and timed-out mutants over killed + timed out + survived + no coverage.
// Mutants that do not compile or that Stryker skipped count nowhere, as in Stryker's own score.
// A survivor listed in equivalent-mutants.md (file, line, mutator, replacement) is shown apart,
// with its reason; the run fails when a folder scores below TARGET or a survivor is not listed.
import { existsSync, readFileSync } from "node:fs";

const TARGET = 85;
const file = process.argv[2] ?? "reports/mutation/mutation.json";
const EQUIVALENTS_FILE = new URL("equivalent-mutants.md", import.meta.url);

/** `| \`path:line\` | Mutator | \`replacement\` | reason |` rows of equivalent-mutants.md. */
function equivalents() {
  if (!existsSync(EQUIVALENTS_FILE)) return new Map();
  const rows = readFileSync(EQUIVALENTS_FILE, "utf8")
    .split("\n")
    .map((line) => /^\|\s*`([^`]+):(\d+)`\s*\|\s*(\w+)\s*\|\s*`(.*)`\s*\|\s*(.+?)\s*\|$/.exec(line))
    .filter(Boolean);
  return new Map(
    rows.map(([, path, line, mutator, replacement, reason]) => [
      `${path}:${line} ${mutator} ${replacement}`,
      reason,
    ]),
  );
}

const listed = equivalents();
const report = JSON.parse(readFileSync(file, "utf8"));
const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);
const folders = new Map();
for (const [path, { mutants }] of Object.entries(report.files)) {
  const parts = path.split("/");
  const folder = parts[0] === "policy" && parts[1] === "rules" ? "policy/rules" : parts[0];
  const tally = folders.get(folder) ?? {
    detected: 0,
    undetected: 0,
    ignored: 0,
    invalid: 0,
    equivalent: [],
    unexplained: [],
  };
  for (const m of mutants) {
    if (m.status === "Ignored") tally.ignored++;
    if (m.status === "CompileError" || m.status === "RuntimeError") tally.invalid++;
    if (DETECTED.has(m.status)) tally.detected++;
    if (UNDETECTED.has(m.status)) {
      tally.undetected++;
      const key = `${path}:${m.location.start.line} ${m.mutatorName} ${m.replacement ?? ""}`;
      const where = `${path}:${m.location.start.line} ${m.mutatorName} \`${m.replacement ?? ""}\` (${m.status})`;
      if (listed.has(key)) tally.equivalent.push(`${where}: ${listed.get(key)}`);
      else tally.unexplained.push(where);
    }
  }
  folders.set(folder, tally);
}
console.log(`Mutation score by folder (killed + timed out / valid mutants; target ${TARGET}%):`);
let failed = false;
for (const [folder, t] of [...folders].sort()) {
  const total = t.detected + t.undetected;
  const score = total === 0 ? 100 : (100 * t.detected) / total;
  if (score < TARGET || t.unexplained.length > 0) failed = true;
  console.log(
    `  ${folder.padEnd(14)} ${`${score.toFixed(2)}%`.padStart(8)}  ${t.detected}/${total} killed, ` +
      `${t.equivalent.length} equivalent (equivalent-mutants.md), ${t.unexplained.length} unexplained` +
      `  (not counted: ${t.ignored} ignored static, ${t.invalid} that do not compile or run)`,
  );
  for (const s of t.unexplained) console.log(`      survived: ${s}`);
  for (const s of t.equivalent) console.log(`      equivalent: ${s}`);
}
process.exit(failed ? 1 : 0);
