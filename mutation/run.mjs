/* global process, URL */
// `npm run mutation [-- <stryker options>]`: runs Stryker with the options given (e.g.
// `--mutate "model/**/*.ts"`), then prints the score by folder from its report. A plain
// `stryker run && node score-by-folder.mjs` would hand npm's extra arguments to the second command.
import { spawnSync } from "node:child_process";

const stryker = spawnSync("stryker", ["run", ...process.argv.slice(2)], { stdio: "inherit", shell: false });
if (stryker.error) throw stryker.error;
const score = spawnSync(process.execPath, [new URL("score-by-folder.mjs", import.meta.url).pathname], {
  stdio: "inherit",
});
process.exit(stryker.status || score.status || 0);
