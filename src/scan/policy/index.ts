/**
 * policy: `--fail-on`, ignore files and OpenVEX suppressions.
 * @module
 */
export {
  applySuppressions,
  failsGate,
  parseFailOn,
  readIgnoreFile,
  readOpenVex,
  type IgnoreRule,
  type Suppressed,
} from './policy.ts';
