/**
 * The k8s_audit source's field definitions: Falco's k8saudit plugin fields (`ka.*`) and the
 * json plugin's fields (`jevt.*`, `json.*`). Every value is a string or a list of strings,
 * as in the plugins.
 * @module
 */
import { declare, type FieldOpts, type FieldSpec } from '../syscall/fields/index.ts';

const LIST: FieldOpts = { list: true, arg: 'optional-index' };
const KEY: FieldOpts = { arg: 'required-key' };

/** The per-container list fields, for one of the pod's container lists. */
function containerList(list: string, label: string, withHostPort: boolean): FieldSpec[] {
  const p = `ka.req.pod.${list}.`;
  const specs: FieldSpec[] = [
    [`${p}name`, 'CHARBUF', `Names of the pod's ${label}.`, LIST],
    [`${p}image`, 'CHARBUF', `Images of the pod's ${label}.`, LIST],
    [`${p}image.repository`, 'CHARBUF', `Images of the pod's ${label}, repository part only (no tag or digest).`, LIST],
    [`${p}command`, 'CHARBUF', `Commands of the pod's ${label}.`, LIST],
    [`${p}args`, 'CHARBUF', `Arguments of the pod's ${label}.`, LIST],
    [`${p}privileged`, 'CHARBUF', `securityContext.privileged of each of the pod's ${label} (false when unset).`, LIST],
    [`${p}allow_privilege_escalation`, 'CHARBUF', `securityContext.allowPrivilegeEscalation of each of the pod's ${label}.`, LIST],
    [`${p}read_only_fs`, 'CHARBUF', `securityContext.readOnlyRootFilesystem of each of the pod's ${label}.`, LIST],
    [`${p}run_as_user`, 'CHARBUF', `securityContext.runAsUser of each of the pod's ${label}.`, LIST],
    [`${p}eff_run_as_user`, 'CHARBUF', `The uid each of the pod's ${label} starts as: its own runAsUser, else the pod's, else 0.`, LIST],
    [`${p}run_as_group`, 'CHARBUF', `securityContext.runAsGroup of each of the pod's ${label}.`, LIST],
    [`${p}eff_run_as_group`, 'CHARBUF', `The gid each of the pod's ${label} starts as: its own runAsGroup, else the pod's, else 0.`, LIST],
    [`${p}proc_mount`, 'CHARBUF', `securityContext.procMount of each of the pod's ${label}.`, LIST],
    [`${p}add_capabilities`, 'CHARBUF', `Capabilities added by the pod's ${label} (securityContext.capabilities.add).`, LIST],
  ];
  if (withHostPort) specs.push([`${p}host_port`, 'CHARBUF', `hostPort values of every port of the pod's ${label}.`, LIST]);
  return specs;
}

const SPECS: FieldSpec[] = [
  ['ka.auditid', 'CHARBUF', 'Unique id of the audit event (auditID).'],
  ['ka.stage', 'CHARBUF', 'Stage of the request the event was written at (RequestReceived, ResponseStarted, ResponseComplete, Panic).'],
  ['ka.auth.decision', 'CHARBUF', 'Authorization decision, from the authorization.k8s.io/decision annotation (allow/forbid).'],
  ['ka.auth.reason', 'CHARBUF', 'Authorization reason, from the authorization.k8s.io/reason annotation.'],
  ['ka.auth.openshift.decision', 'CHARBUF', 'Decision of the OpenShift API server extension (OpenShift only).'],
  ['ka.validations.admission.policy.failure', 'CHARBUF', 'Failure reported by a ValidatingAdmissionPolicy.'],
  ['ka.security.pod.violations', 'CHARBUF', 'Pod Security admission violations reported for the request.'],
  ['ka.auth.openshift.username', 'CHARBUF', 'User name of the OpenShift authentication (OpenShift only).'],
  ['ka.user.name', 'CHARBUF', 'Name of the user who made the request.'],
  ['ka.user.groups', 'CHARBUF', 'Groups of the user who made the request.', { list: true }],
  ['ka.impuser.name', 'CHARBUF', 'Name of the impersonated user, when the request impersonates.'],
  ['ka.verb', 'CHARBUF', 'Verb of the request (get, list, create, update, patch, delete, ...).'],
  ['ka.uri', 'CHARBUF', 'Request URI as the client sent it.'],
  ['ka.uri.param', 'CHARBUF', 'One query parameter of the request URI: for /x?command=ls, ka.uri.param[command] is ls.', KEY],
  ['ka.target.name', 'CHARBUF', 'Name of the object the request is about.'],
  ['ka.target.namespace', 'CHARBUF', 'Namespace of the object the request is about.'],
  ['ka.target.resource', 'CHARBUF', 'Resource kind of the object the request is about (pods, secrets, ...).'],
  ['ka.target.subresource', 'CHARBUF', 'Subresource the request is about (exec, attach, log, ...).'],
  ['ka.target.pod.name', 'CHARBUF', 'Name of the target pod, for requests about pods.'],
  ['ka.req.binding.subjects', 'CHARBUF', 'Subject names of a (cluster) role binding in the request.', { list: true }],
  ['ka.req.binding.subjects.user_names', 'CHARBUF', 'User subject names of a (cluster) role binding in the request.', { list: true }],
  ['ka.req.binding.subjects.serviceaccount_names', 'CHARBUF', 'Service account subject names of a (cluster) role binding in the request.', { list: true }],
  ['ka.req.binding.subjects.serviceaccount_ns_names', 'CHARBUF', 'Service account subjects of a (cluster) role binding as namespace:name.', { list: true }],
  ['ka.req.binding.subjects.group_names', 'CHARBUF', 'Group subject names of a (cluster) role binding in the request.', { list: true }],
  ['ka.req.binding.role', 'CHARBUF', 'Role referenced by a (cluster) role binding in the request.'],
  ['ka.req.binding.subject.has_name', 'CHARBUF', 'Kept for old rules only: always N/A.', KEY],
  ['ka.req.configmap.name', 'CHARBUF', 'Name of the ConfigMap in the request.'],
  ['ka.req.configmap.obj', 'CHARBUF', 'The data of the ConfigMap in the request, as JSON.'],
  ...containerList('containers', 'containers', true),
  ['ka.req.container.image', 'CHARBUF', 'Image of the first container of the pod (older form of ka.req.pod.containers.image).'],
  ['ka.req.container.image.repository', 'CHARBUF', 'Repository of the first container image (older form of ka.req.pod.containers.image.repository).'],
  ['ka.req.pod.host_ipc', 'CHARBUF', 'spec.hostIPC of the pod in the request.'],
  ['ka.req.pod.host_network', 'CHARBUF', 'spec.hostNetwork of the pod in the request.'],
  ['ka.req.container.host_network', 'CHARBUF', 'Older name of ka.req.pod.host_network.'],
  ['ka.req.pod.host_pid', 'CHARBUF', 'spec.hostPID of the pod in the request.'],
  ['ka.req.container.privileged', 'CHARBUF', 'true when any container of the pod is privileged (older form of ka.req.pod.containers.privileged).'],
  ['ka.req.pod.run_as_user', 'CHARBUF', 'spec.securityContext.runAsUser of the pod in the request.'],
  ['ka.req.pod.run_as_group', 'CHARBUF', 'spec.securityContext.runAsGroup of the pod in the request.'],
  ['ka.req.role.rules', 'CHARBUF', 'Rules of the (cluster) role in the request, each as JSON.', { list: true }],
  ['ka.req.role.rules.apiGroups', 'CHARBUF', 'API groups named by the rules of the (cluster) role in the request.', LIST],
  ['ka.req.role.rules.nonResourceURLs', 'CHARBUF', 'Non-resource URLs named by the rules of the (cluster) role in the request.', LIST],
  ['ka.req.role.rules.verbs', 'CHARBUF', 'Verbs named by the rules of the (cluster) role in the request.', LIST],
  ['ka.req.role.rules.resources', 'CHARBUF', 'Resources named by the rules of the (cluster) role in the request.', LIST],
  ['ka.req.pod.fs_group', 'CHARBUF', 'spec.securityContext.fsGroup of the pod in the request.'],
  ['ka.req.pod.supplemental_groups', 'CHARBUF', 'spec.securityContext.supplementalGroups of the pod in the request.', { list: true }],
  ['ka.req.service.type', 'CHARBUF', 'spec.type of the Service in the request.'],
  ['ka.req.service.ports', 'CHARBUF', 'Ports of the Service in the request, each as JSON.', LIST],
  ['ka.req.pod.volumes.hostpath', 'CHARBUF', 'hostPath paths of every volume of the pod in the request.', LIST],
  ['ka.req.volume.hostpath', 'CHARBUF', 'Older form: true when a hostPath volume matches the given path (glob), false otherwise.', KEY],
  ['ka.req.pod.volumes.flexvolume_driver', 'CHARBUF', 'flexVolume drivers of every volume of the pod in the request.', LIST],
  ['ka.req.pod.volumes.volume_type', 'CHARBUF', 'Volume source type of every volume of the pod in the request (hostPath, secret, ...).', LIST],
  ['ka.resp.name', 'CHARBUF', 'Name of the object in the response.'],
  ['ka.response.code', 'CHARBUF', 'HTTP status code of the response.'],
  ['ka.response.reason', 'CHARBUF', 'Reason of the response status (mostly for failures).'],
  ['ka.useragent', 'CHARBUF', 'User agent of the client.'],
  ['ka.sourceips', 'CHARBUF', 'Source IP addresses of the client.', LIST],
  ['ka.cluster.name', 'CHARBUF', 'Name of the cluster the event came from (from the webhook configuration).'],
  ...containerList('initContainers', 'init containers', true),
  ...containerList('ephemeralContainers', 'ephemeral containers', false),
  ['jevt.value', 'CHARBUF', 'Value at a JSON pointer in the event, e.g. jevt.value[/user/username]; objects and arrays as JSON.', KEY],
  ['jevt.obj', 'CHARBUF', 'The whole event as JSON.'],
  ['jevt.rawtime', 'CHARBUF', 'Time of the event in nanoseconds since the epoch.'],
  ['json.value', 'CHARBUF', 'Same as jevt.value.', KEY],
  ['json.obj', 'CHARBUF', 'Same as jevt.obj.'],
  ['json.rawtime', 'CHARBUF', 'Same as jevt.rawtime.'],
];

/** k8s_audit definitions (no extractors). */
export const K8SAUDIT_FIELDS = declare(SPECS);
