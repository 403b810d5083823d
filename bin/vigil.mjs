#!/usr/bin/env node
// The `vigil` executable: loads the TypeScript CLI through tsx so the package runs from source.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv);
