/**
 * The typed configuration that `loadConfig` returns (mirrors `SCHEMA`).
 * @module
 */

/** vigil.yaml after defaults, overrides and validation. */
export interface VigilConfig {
  rules_files: string[];
  priority: string;
  rule_matching: 'first' | 'all';
  json_output: boolean;
  json_include_output_property: boolean;
  json_include_message_property: boolean;
  json_include_output_fields_property: boolean;
  json_include_tags_property: boolean;
  time_format_iso_8601: boolean;
  /** Falco's append_output entries as written (validated by the rules room's parseAppendOutput). */
  append_output: Record<string, unknown>[];
  buffered_outputs: boolean;
  output_timeout: number;
  outputs_queue: { capacity: number };
  stdout_output: { enabled: boolean };
  file_output: { enabled: boolean; keep_alive: boolean; filename: string };
  syslog_output: {
    enabled: boolean; format: 'rfc5424' | 'rfc3164'; transport: 'unix' | 'udp' | 'tcp';
    path: string; host: string; port: number; facility: string; app_name: string;
  };
  program_output: { enabled: boolean; keep_alive: boolean; program: string };
  http_output: {
    enabled: boolean; url: string; user_agent: string; insecure: boolean; ca_cert: string; ca_bundle: string;
    ca_path: string; mtls: boolean; client_cert: string; client_key: string; echo: boolean;
    compress_uploads: boolean; keep_alive: boolean; max_consecutive_timeouts: number;
    headers: Record<string, string>; timeout_ms?: number; concurrency: number; include_uuid: boolean;
  };
  store: { url: string; retention: { max_age: number; max_bytes: number } };
  outbox: { retry_base_ms: number; retry_max_ms: number; batch_size: number; drain_timeout_seconds?: number };
  audit: { enabled: boolean; kinds: string[]; sensitive_paths: string[]; exclude_comms: string[]; link_window: number };
  ingest: { enabled: boolean; listen_address: string; listen_port: number; max_body_bytes: number };
}
