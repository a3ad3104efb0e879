/* global module */
// The import rules of ARCHITECTURE.md, checked by tests/architecture.test.ts (and by
// `npx depcruise index.ts model actions components app offline policy testkit e2e bench identities tests`).
// Paths are relative to the project root. A rule names what a folder may NOT import.

/** Every folder (and the program file) of the project, as a path pattern. */
const PROJECT =
  "^(index\\.ts$|model/|actions/|components/|app/|offline/|policy/|testkit/|e2e/|bench/|identities/|tests/)";

/** A rule: modules matching `from` may not import modules matching `to`. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: "error", from, to };
}

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      "model-imports-no-project-code",
      "model/ is the shared vocabulary: it imports nothing else of the project.",
      { path: "^model/" },
      { path: PROJECT, pathNot: "^model/" },
    ),
    forbid(
      "app-imports-only-app-and-model",
      "app/ is bundled into the Lambda on its own: it imports only app/ and model/.",
      { path: "^app/" },
      { path: PROJECT, pathNot: "^(app|model)/" },
    ),
    forbid(
      "actions-import-only-actions-and-model",
      "actions/ is bundled into an Auth0 Action's code on its own: it imports actions/ and model/ only.",
      { path: "^actions/" },
      { path: PROJECT, pathNot: "^(actions|model)/" },
    ),
    forbid(
      "components-import-only-the-contract-of-app",
      "components/ declare resources: they import components/, model/ and the app's contract (app/contract.ts), nothing else.",
      { path: "^components/" },
      { path: PROJECT, pathNot: "^(components/|model/|app/contract\\.ts$)" },
    ),
    forbid(
      "policy-imports-only-model-and-the-contract-of-app",
      "policy/ is loaded on its own by the Pulumi CLI: it imports policy/, model/ and app/contract.ts, never the renderer or the program.",
      { path: "^policy/", pathNot: "^policy/evaluate\\.ts$" },
      { path: PROJECT, pathNot: "^(policy/|model/|app/contract\\.ts$)" },
    ),
    forbid(
      "the-offline-evaluator-imports-only-the-pack-and-the-sdk-internals",
      "policy/evaluate.ts runs the pack in the offline preview, never under the CLI: it imports what the pack may, and the one module of SDK internals (offline/sdk-internals.ts).",
      { path: "^policy/evaluate\\.ts$" },
      { path: PROJECT, pathNot: "^(policy/|model/|app/contract\\.ts$|offline/sdk-internals\\.ts$)" },
    ),
    forbid(
      "offline-renders-without-project-code",
      "offline/ renders the program it loads by path; it imports offline/ and model/ only (the command line also the policy evaluator).",
      { path: "^offline/" },
      { path: PROJECT, pathNot: "^(offline/|model/|policy/)" },
    ),
    forbid(
      "offline-receives-the-policy-evaluator",
      "Only the command line (offline/cli.ts) imports the policy pack, and only its evaluator; the renderer receives it.",
      { path: "^offline/", pathNot: "^offline/cli\\.ts$" },
      { path: "^policy/" },
    ),
    forbid(
      "offline-imports-only-the-evaluator-of-policy",
      "The command line hands the renderer policy/evaluate.ts, not the rules.",
      { path: "^offline/cli\\.ts$" },
      { path: "^policy/", pathNot: "^policy/evaluate\\.ts$" },
    ),
    forbid(
      "testkit-imports-no-tools-or-tests",
      "testkit/ is what tests, e2e/ and bench/ share: it imports testkit/, model/, app/ and actions/ (the tenant runs the Action) only.",
      { path: "^testkit/" },
      { path: PROJECT, pathNot: "^(testkit|model|app|actions)/" },
    ),
    forbid(
      "e2e-imports-no-tests-or-infrastructure",
      "e2e/ is the browser proof's harness: it imports e2e/, testkit/, model/, app/ and offline/.",
      { path: "^e2e/" },
      { path: PROJECT, pathNot: "^(e2e|testkit|model|app|offline)/" },
    ),
    forbid(
      "bench-imports-no-tests",
      "bench/ measures the app and the preview: it imports bench/, app/, model/, offline/, testkit/ and e2e/.",
      { path: "^bench/" },
      { path: PROJECT, pathNot: "^(bench|app|model|offline|testkit|e2e)/" },
    ),
    forbid(
      "identities-imports-only-model-and-the-config-reader",
      "identities/ is a second Pulumi program: it imports identities/, model/ and the config reader's shared parts (components/config/: the project name, the problem collector, the host check), nothing that declares resources.",
      { path: "^identities/" },
      { path: PROJECT, pathNot: "^(identities/|model/|components/config/)" },
    ),
    forbid(
      "only-tests-import-identities",
      "Nothing of the main program or its tools imports the second program.",
      { path: PROJECT, pathNot: "^(identities|tests)/" },
      { path: "^identities/" },
    ),
    forbid(
      "only-tests-import-the-program",
      "index.ts is the program: the Pulumi CLI and the renderer run it, tests import it; nothing else does.",
      { path: PROJECT, pathNot: "^tests/" },
      { path: "^index\\.ts$" },
    ),
    forbid(
      "nothing-imports-tests",
      "tests/ holds tests only: what they share lives in testkit/.",
      { path: PROJECT, pathNot: "^tests/" },
      { path: "^tests/" },
    ),
    forbid("no-cycles", "No module reaches itself through its imports.", {}, { circular: true }),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // The fixtures of tests/architecture.test.ts break these rules on purpose.
    exclude: { path: "^tests/fixtures/" },
    tsPreCompilationDeps: true,
  },
};
