// Three tiers (ARCHITECTURE.md §11): unit has no I/O; integration and lab need real OVS/Mininet.
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
};
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/timeout-integration.ts'] },
    { ...common, displayName: 'lab', testMatch: ['<rootDir>/test/lab/**/*.test.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/timeout-lab.ts'] },
  ],
};
