import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Whole training runs take seconds on a busy 2-core machine; no test is timed for speed.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
