import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Several tests spawn the built command line a few times; on a busy two-core machine one run can take 10 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Test files share one Redis; each uses its own key prefix or database, so they may run in parallel.
    pool: "forks",
    // Vitest's default is one worker less than the cores: one file at a time on two cores, while most files wait
    // on spawned command-line runs and local servers. Two at a time keep both cores busy.
    maxWorkers: 2,
  },
});
