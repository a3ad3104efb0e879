import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The Pulumi runtime keeps process-wide state (mocks, config): one file per worker process.
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
