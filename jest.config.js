// Jest runs TypeScript as native ESM (ts-jest, useESM) so the ESM-only @actions/* v3 packages load as they are.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@deploy-actions/([^/]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@deploy-actions/([^/]+)/(.*)$': '<rootDir>/packages/$1/src/$2.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: [
    '<rootDir>/packages/*/test/**/*.test.ts',
    '<rootDir>/actions/*/test/**/*.test.ts',
    '<rootDir>/test/**/*.test.ts',
  ],
  globalSetup: '<rootDir>/test/global-setup.mjs',
  testTimeout: 120000,
  maxWorkers: 2,
  verbose: true,
  reporters: ['default', '<rootDir>/test/count-reporter.cjs'],
};
