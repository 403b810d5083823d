/**
 * The explicit, sorted index of Pod Security Standards checks (by Kubernetes check id).
 * @module
 */
import type { PssCheck } from '../types.ts';
import { allowPrivilegeEscalation, runAsNonRoot, runAsUser } from './identity.ts';
import {
  appArmorProfile,
  seccompProfileBaseline,
  seccompProfileRestricted,
  seLinuxOptions,
} from './mac.ts';
import {
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  windowsHostProcess,
} from './host.ts';
import {
  capabilitiesBaseline,
  capabilitiesRestrictedCheck,
  privileged,
  procMount,
  procMountRestricted,
} from './privileges.ts';
import { restrictedVolumes, sysctls } from './volumes.ts';

/** Every PSS check, sorted by id. */
export const pssChecks: readonly PssCheck[] = [
  allowPrivilegeEscalation,
  appArmorProfile,
  capabilitiesBaseline,
  capabilitiesRestrictedCheck,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  privileged,
  procMount,
  procMountRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompProfileBaseline,
  seccompProfileRestricted,
  seLinuxOptions,
  sysctls,
  windowsHostProcess,
];
