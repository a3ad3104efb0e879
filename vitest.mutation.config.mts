import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

// The suite as Stryker runs it per mutant: without the browser tests (they bind port 443 on
// loopback and start Chromium, which parallel mutant runs cannot share), in a fixed order, and
// without the JSON report of `npm test`.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: ["tests/e2e-*.test.ts", "tests/app-refusal-in-browser.test.ts", "**/node_modules/**"],
    reporters: ["default"],
    sequence: { shuffle: false },
  },
});
