/* global process, console */
// Prints the mutation score of each top-level folder from Stryker's JSON report (mutation-testing-
// report-schema): killed and timed-out mutants over killed + timed out + survived + no coverage.
// Mutants that do not compile or that Stryker skipped count nowhere, as in Stryker's own score.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "reports/mutation/mutation.json";
const report = JSON.parse(readFileSync(file, "utf8"));
const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);
const folders = new Map();
for (const [path, { mutants }] of Object.entries(report.files)) {
  const parts = path.split("/");
  const folder = parts[0] === "policy" && parts[1] === "rules" ? "policy/rules" : parts[0];
  const tally = folders.get(folder) ?? { detected: 0, undetected: 0, ignored: 0, invalid: 0, survivors: [] };
  for (const m of mutants) {
    if (m.status === "Ignored") tally.ignored++;
    if (m.status === "CompileError" || m.status === "RuntimeError") tally.invalid++;
    if (DETECTED.has(m.status)) tally.detected++;
    if (UNDETECTED.has(m.status)) {
      tally.undetected++;
      tally.survivors.push(`${path}:${m.location.start.line} ${m.mutatorName} (${m.status})`);
    }
  }
  folders.set(folder, tally);
}
console.log("Mutation score by folder (killed + timed out / valid mutants):");
for (const [folder, t] of [...folders].sort()) {
  const total = t.detected + t.undetected;
  const score = total === 0 ? "n/a" : `${((100 * t.detected) / total).toFixed(2)}%`;
  console.log(
    `  ${folder.padEnd(14)} ${score.padStart(8)}  ${t.detected}/${total} killed` +
      `  (not counted: ${t.ignored} ignored static, ${t.invalid} that do not compile or run)`,
  );
  for (const s of t.survivors) console.log(`      survived: ${s}`);
}
