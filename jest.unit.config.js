// Unit tests only: package and action tests that need no services and no root. No global setup, so a fresh
// clone runs them without installing or starting anything (`npm run test:unit`). Tests that need the local
// services are named *.itg.test.ts, or live under test/<action>/ (they run the real bundle through the harness).
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  globalSetup: undefined,
  setupFiles: ['<rootDir>/test/toolkit/unit-env.cjs'],
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/actions/*/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.itg\\.test\\.ts$'],
  testTimeout: 30000,
};
