// Which files under src/ are test code: never built into dist/ (scripts/build.mjs) and never
// making a build stale (bin/vigil.mjs). One rule so the two cannot drift apart.

/** The folder name whose whole subtree (data and helper modules alike) only tests use. */
export const TEST_DIR = 'fixtures';

/** A module file only tests use, by name: a test or a test helper. */
export const isTestFile = (name) => name.endsWith('.test.ts') || name.endsWith('.test-helpers.ts');
