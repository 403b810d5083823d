/**
 * Source-neutral field tables: every event source (syscall, k8s_audit, ...) declares its
 * fields with these definitions, and the rules compiler checks conditions and outputs
 * against the table of the rule's source. Extractors are filled in by the source rooms.
 * @module
 */

/**
 * Field types, named as libsinsp's PT_* parameter types (without the prefix) so the
 * operator/type compatibility rules of Falco carry over one to one.
 */
export type FieldType =
  | 'INT8' | 'INT16' | 'INT32' | 'INT64'
  | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64'
  | 'ERRNO' | 'FD' | 'PID' | 'PORT' | 'L4PROTO' | 'SOCKFAMILY'
  | 'FLAGS8' | 'FLAGS16' | 'FLAGS32' | 'ENUMFLAGS8' | 'ENUMFLAGS16' | 'ENUMFLAGS32'
  | 'MODE' | 'SYSCALLID' | 'SIGTYPE' | 'UID' | 'GID'
  | 'RELTIME' | 'ABSTIME' | 'DOUBLE' | 'BOOL'
  | 'CHARBUF' | 'FSPATH' | 'FSRELPATH' | 'BYTEBUF'
  | 'IPADDR' | 'IPV4ADDR' | 'IPV6ADDR' | 'IPNET' | 'IPV4NET' | 'IPV6NET'
  | 'SOCKADDR' | 'SOCKTUPLE' | 'FDLIST' | 'CHARBUFARRAY' | 'CHARBUF_PAIR_ARRAY';

/** How a field takes an argument in brackets, e.g. `proc.aname[2]`, `ka.uri.param[command]`. */
export type FieldArgRule =
  | 'none' //        no argument allowed
  | 'optional-index' // optional numeric argument, e.g. proc.aname / proc.aname[2]
  | 'required-index' // numeric argument required, e.g. evt.arg[0]? (see notes)
  | 'optional-key' //  optional string key
  | 'required-key'; // string key required, e.g. ka.uri.param[command], jevt.value[/a/b]

/** A value extracted from an event; undefined means "not available" (<NA>). */
export type FieldValue = string | number | bigint | boolean | string[] | number[] | bigint[] | Uint8Array | undefined;

/** One field of an event source. */
export interface FieldDef<E = unknown> {
  /** Full name, e.g. `proc.name`. For dotted-suffix families (`evt.arg.*`) the prefix with `*`. */
  name: string;
  type: FieldType;
  /** True when the field yields several values (Falco's list fields: `in` means all, `intersects` any). */
  isList?: boolean;
  desc: string;
  arg: FieldArgRule;
  /** Alternate names that resolve to this definition. */
  aliases?: string[];
  /** Deprecated fields give LOAD_DEPRECATED_ITEM warnings when used. */
  deprecated?: boolean;
  /**
   * Suggested as an output field (libsinsp's EPF_FORMAT_SUGGESTED, set by plugins such as the
   * container plugin): `append_output` with `suggested_output: true` appends ` name_x=%name.x`.
   */
  suggestedOutput?: boolean;
  /**
   * Checks a literal compared against this field at compile time; returns an error message
   * (e.g. "unknown event type foo" for evt.type) or undefined when the value is acceptable.
   */
  validateValue?: (value: string) => string | undefined;
  /** Reads the value from an event; absent while a source has only its table. */
  extract?: (event: E, arg?: string) => FieldValue;
  /**
   * For fields that, used without an argument, match when any of several values does (libsinsp's
   * ancestor fields: `proc.aname=sshd` holds when some ancestor is sshd): those values, each
   * compared on its own. Outputs still render `extract`.
   */
  anyOf?: (event: E) => readonly FieldValue[] | undefined;
  /**
   * `all` when `!=` on the anyOf values means every value differs (libsinsp's fd.ip, fd.net and
   * fd.port compare both ends of a connection); by default it is "some value differs".
   */
  anyOfNotEqual?: 'all';
}

/** The field table of one source (`syscall`, `k8s_audit`, ...). */
export interface FieldTable<E = unknown> {
  source: string;
  fields: FieldDef<E>[];
  /**
   * Resolves a name as written in a rule (with `.arg` suffix forms like `evt.arg.flags`) to its
   * definition and implied argument; undefined when unknown.
   */
  lookup(name: string): { def: FieldDef<E>; impliedArg?: string } | undefined;
}
