/**
 * The shape of vigil.yaml: Falco's falco.yaml keys where Falco has them (same names, same
 * defaults), Vigil's own sections (store, outbox, audit, ingest) beside them. One table drives
 * defaults, validation and `-o` override coercion.
 * @module
 */

/** A schema node: a scalar type, a list, a string map or an object of named fields. */
export type Spec =
  | { t: 'bool'; d: boolean }
  | { t: 'int'; d?: number; min?: number; max?: number }
  | { t: 'num'; d?: number; min?: number; max?: number }
  | { t: 'str'; d?: string; nonEmpty?: boolean }
  | { t: 'enum'; d: string; of: readonly string[]; lower?: boolean }
  | { t: 'duration'; d?: string }
  | { t: 'list'; d: string[]; of?: readonly string[] }
  | { t: 'map' }
  /** A list of mappings kept as written; the room that uses it validates the entries. */
  | { t: 'entries'; d: Record<string, unknown>[] }
  | { t: 'obj'; f: Record<string, Spec> };

const bool = (d: boolean): Spec => ({ t: 'bool', d });
const int = (d: number | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): Spec => ({ t: 'int', d, min, max });
const str = (d?: string): Spec => ({ t: 'str', d });
const obj = (f: Record<string, Spec>): Spec => ({ t: 'obj', f });

/** Falco's priority names as written in falco.yaml (lowercase; `info` is accepted too). */
export const PRIORITY_NAMES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'info', 'debug'] as const;

/** The whole vigil.yaml schema. */
export const SCHEMA: Spec = obj({
  rules_files: { t: 'list', d: ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d'] },
  priority: { t: 'enum', d: 'debug', of: PRIORITY_NAMES, lower: true },
  rule_matching: { t: 'enum', d: 'first', of: ['first', 'all'] },
  json_output: bool(false),
  json_include_output_property: bool(true),
  json_include_message_property: bool(false),
  json_include_output_fields_property: bool(true),
  json_include_tags_property: bool(true),
  time_format_iso_8601: bool(false),
  // Falco 0.41's default: the container plugin's suggested fields (container_id=..., k8s_ns_name=...)
  // end every syscall rule output; entries are validated by the rules room (parseAppendOutput)
  append_output: { t: 'entries', d: [{ suggested_output: true }] },
  buffered_outputs: bool(false),
  output_timeout: int(2000, 1),
  outputs_queue: obj({ capacity: int(0) }),
  // Falco's drop notifications: threshold is a fraction of events dropped in a second (0..1)
  syscall_event_drops: obj({
    threshold: { t: 'num', d: 0.1, min: 0, max: 1 },
    actions: { t: 'list', d: ['log', 'alert'], of: ['ignore', 'log', 'alert', 'exit'] },
    rate: { t: 'num', d: 0.03333, min: 0 },
    max_burst: int(1, 0),
    simulate_drops: bool(false),
  }),
  stdout_output: obj({ enabled: bool(true) }),
  file_output: obj({ enabled: bool(false), keep_alive: bool(false), filename: str('./events.txt') }),
  syslog_output: obj({
    enabled: bool(true),
    format: { t: 'enum', d: 'rfc5424', of: ['rfc5424', 'rfc3164'] },
    transport: { t: 'enum', d: 'unix', of: ['unix', 'udp', 'tcp'] },
    path: str('/dev/log'),
    host: str('127.0.0.1'),
    port: int(514, 1, 65535),
    facility: { t: 'enum', d: 'user', of: ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'] },
    app_name: str('vigil'),
  }),
  program_output: obj({ enabled: bool(false), keep_alive: bool(false), program: str('jq \'{text: .output}\' | curl -d @- -X POST https://hooks.slack.com/services/XXX') }),
  http_output: obj({
    enabled: bool(false),
    url: str(''),
    user_agent: str('falcosecurity/falco'),
    insecure: bool(false),
    ca_cert: str(''),
    ca_bundle: str(''),
    ca_path: str(''),
    mtls: bool(false),
    client_cert: str('/etc/falco/certs/client/client.crt'),
    client_key: str('/etc/falco/certs/client/client.key'),
    echo: bool(false),
    compress_uploads: bool(false),
    keep_alive: bool(true),
    max_consecutive_timeouts: int(5),
    headers: { t: 'map' },
    timeout_ms: int(undefined, 1),
    concurrency: int(8, 1, 1024),
    include_uuid: bool(true),
  }),
  store: obj({
    url: str('.vigil/vigil.db'),
    retention: obj({ max_age: { t: 'duration', d: '30d' }, max_bytes: int(1024 ** 3) }),
  }),
  // drain_timeout_seconds: how long a command waits at exit for undelivered alerts (Vigil key);
  // no default here: each command has its own (30 s for run/replay/k8saudit, 10 s for up)
  outbox: obj({ retry_base_ms: int(500, 1), retry_max_ms: int(30_000, 1), batch_size: int(256, 1, 10_000), drain_timeout_seconds: { t: 'num', min: 0 } }),
  audit: obj({
    enabled: bool(true),
    kinds: { t: 'list', d: ['exec', 'net', 'file'], of: ['exec', 'net', 'file'] },
    sensitive_paths: { t: 'list', d: ['/etc/', '/root/', '/usr/bin/', '/usr/sbin/', '/bin/', '/sbin/', '/usr/lib/', '/lib/', '/boot/', '/var/run/secrets/', '/run/secrets/'] },
    exclude_comms: { t: 'list', d: [] },
    link_window: { t: 'duration', d: '5m' },
  }),
  ingest: obj({ enabled: bool(false), listen_address: str('127.0.0.1'), listen_port: int(2801, 0, 65535), max_body_bytes: int(1024 * 1024, 1) }),
});
