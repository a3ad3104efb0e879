// Mutation testing (`npm run mutation`, not part of `npm test`: it runs the suite once per mutant).
// Stryker changes one expression of the product at a time and runs the tests that cover it; a
// mutant no test notices "survived". Incremental: the report below is committed, so a later run
// re-tests only mutants whose code or covering tests changed. One folder at a time:
// `npm run mutation -- --mutate "model/**/*.ts"`.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // Forks, as npm test runs them: a worker thread would not read NODE_EXTRA_CA_CERTS (the test CA),
  // which Node takes only at a process start (tests/global-setup.ts).
  vitest: { configFile: "vitest.mutation.config.mts", pool: "forks" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  coverageAnalysis: "perTest",
  // Static mutants (module-level constants, evaluated once at import) need the whole suite per
  // mutant, about 2 minutes here: model/ alone has 136 of them. They are left out of the score and
  // counted as "ignored"; `npm run mutation -- --ignoreStatic false` runs them too.
  ignoreStatic: true,
  mutate: [
    "app/**/*.ts",
    "components/**/*.ts",
    "model/**/*.ts",
    "policy/rules/**/*.ts",
    "offline/**/*.ts",
    "!**/*.d.ts",
  ],
  incremental: true,
  incrementalFile: "mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  thresholds: { high: 90, low: 85, break: null },
  // Two shared cores: one test process besides the checker.
  concurrency: 1,
  timeoutMS: 60_000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
