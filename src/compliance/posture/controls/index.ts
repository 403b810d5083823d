/**
 * The explicit index of posture controls, sorted by id.
 * @module
 */
import type { Control } from '../types.ts';
import { readOnlyRoot, seccomp, linuxHardening, seLinux, unsafeSysctls } from './hardening.ts';
import {
  hostIpc,
  hostNetwork,
  hostPathControl,
  hostPid,
  hostPortControl,
  runtimeSocket,
  writableHostPath,
} from './host.ts';
import {
  defaultNamespace,
  defaultServiceAccount,
  nakedPod,
  probeHost,
  sshPort,
  tokenAutomount,
} from './identity.ts';
import { imageTag, pullPolicy, trustedRegistry } from './images.ts';
import {
  clusterAdminBinding,
  csrApproval,
  deleteEvents,
  escalateVerbs,
  nodeProxy,
  podCreate,
  podExec,
  pvCreate,
  secretsAccess,
  systemMasters,
  tokenCreate,
  webhookConfig,
  wildcardRoles,
} from './rbac.ts';
import {
  cpuLimits,
  cpuRequests,
  livenessProbe,
  memoryLimits,
  memoryRequests,
  readinessProbe,
} from './resources.ts';
import {
  ingressTls,
  loadBalancer,
  namespaceNetpol,
  namespacePsa,
  nodePort,
  workloadIngress,
} from './network.ts';
import {
  dangerousCapabilities,
  dropAll,
  hostProcess,
  netRaw,
  noSecurityContext,
  privilegeEscalation,
  privilegedContainer,
  procMount,
  rootContainer,
} from './privileges.ts';
import { secretAsEnv, secretInConfigMap, secretInEnv } from './secrets.ts';

/** Every posture control, sorted by id. */
export const controls: readonly Control[] = [
  secretInConfigMap, // VC-001
  clusterAdminBinding,
  wildcardRoles,
  secretsAccess,
  podCreate,
  podExec,
  escalateVerbs,
  systemMasters,
  deleteEvents,
  nodeProxy,
  webhookConfig,
  tokenCreate,
  pvCreate,
  csrApproval,
  namespaceNetpol,
  workloadIngress,
  nodePort,
  loadBalancer,
  ingressTls,
  namespacePsa, // VC-020
  privilegedContainer, // VP-001
  privilegeEscalation,
  rootContainer,
  dangerousCapabilities,
  netRaw,
  dropAll,
  hostProcess,
  procMount,
  noSecurityContext,
  hostPid,
  hostIpc,
  hostNetwork,
  hostPortControl,
  hostPathControl,
  writableHostPath,
  runtimeSocket,
  readOnlyRoot,
  seccomp,
  linuxHardening,
  seLinux,
  unsafeSysctls,
  cpuLimits,
  memoryLimits,
  cpuRequests,
  memoryRequests,
  livenessProbe,
  readinessProbe,
  imageTag,
  pullPolicy,
  trustedRegistry,
  secretInEnv,
  secretAsEnv,
  tokenAutomount,
  defaultServiceAccount,
  defaultNamespace,
  nakedPod,
  sshPort,
  probeHost, // VP-038
];
