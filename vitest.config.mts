import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    // Makes the test CA and sets NODE_EXTRA_CA_CERTS before the worker forks start.
    globalSetup: ["tests/global-setup.ts"],
    // Files and the tests in them run in a random order, so a test that leans on another fails; the
    // reporter prints the seed ("Running tests with seed ..."): replay with `--sequence.seed <seed>`.
    sequence: { shuffle: true },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The Pulumi runtime keeps process-wide state (mocks, config): one file per worker process.
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
    // The JSON report lets CI print one plain "N passed, N failed" line (a nested run names its own file).
    reporters: [
      "default",
      ["json", { outputFile: process.env.VITEST_JSON_REPORT ?? "test-results/vitest.json" }],
    ],
  },
});
