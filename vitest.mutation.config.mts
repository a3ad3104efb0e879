import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

// The suite as Stryker runs it per mutant: without the browser tests (they bind port 443 on
// loopback and start Chromium, which parallel mutant runs cannot share), without the tests that
// run the product only in child processes (the CLI's host, `npm start`, other Node versions: Stryker
// activates a mutant inside the test process, so a child always runs the unmutated code and these
// tests can kill no mutant; `npm start`'s own tests also compare preview/*.json, whose bundle hash
// instrumented sources change), in a fixed order, and without the JSON report of `npm test`.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [
      "tests/e2e-*.test.ts",
      "tests/app-refusal-in-browser.test.ts",
      "tests/real-host-*.test.ts",
      "tests/preview-since.test.ts",
      "tests/preview-cli.test.ts",
      "tests/preview-exit-code.test.ts",
      "tests/offline-startup.test.ts",
      "tests/lambda-runtimes.test.ts",
      "tests/install-scripts.test.ts",
      "**/node_modules/**",
    ],
    reporters: ["default"],
    sequence: { shuffle: false },
  },
});
