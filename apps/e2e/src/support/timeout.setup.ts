// Each suite's time limit for a test or hook, from its project in apps/e2e/jest.config.cjs.
jest.setTimeout((globalThis as { E2E_TIMEOUT_MS?: number }).E2E_TIMEOUT_MS ?? 60_000);
