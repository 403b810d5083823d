/**
 * Symbolic names of flag and enum parameters (facts from libs' ppm_events_public.h and
 * Linux headers), used to render `evt.arg.*` the way libsinsp resolves them.
 * @module
 */

/** A flag table: [bit value, name]; a value of 0 names the empty set. */
export type FlagTable = readonly (readonly [number, string])[];

const bits = (names: string[], first = 0): FlagTable => names.map((n, i) => [2 ** (i + first), n] as const);

/**
 * open(2) flags (PPM_O_*), in libs' table order, which is the order names print in
 * (`O_CREAT|O_WRONLY`). O_RDWR is both low bits and comes before them; O_NONE names 0.
 */
export const OPEN_FLAGS: FlagTable = [
  [1 << 11, 'O_LARGEFILE'], [1 << 10, 'O_DIRECTORY'], [1 << 9, 'O_DIRECT'], [1 << 8, 'O_TRUNC'], [1 << 7, 'O_SYNC'],
  [1 << 6, 'O_NONBLOCK'], [1 << 5, 'O_EXCL'], [1 << 4, 'O_DSYNC'], [1 << 3, 'O_APPEND'], [1 << 2, 'O_CREAT'],
  [3, 'O_RDWR'], [2, 'O_WRONLY'], [1, 'O_RDONLY'], [1 << 12, 'O_CLOEXEC'], [0, 'O_NONE'], [1 << 13, 'O_TMPFILE'], [1 << 14, 'O_F_CREATED'],
];

/** File mode bits (PPM_S_*). */
export const MODE_FLAGS: FlagTable = bits(['S_IXOTH', 'S_IWOTH', 'S_IROTH', 'S_IXGRP', 'S_IWGRP', 'S_IRGRP', 'S_IXUSR', 'S_IWUSR', 'S_IRUSR', 'S_ISVTX', 'S_ISGID', 'S_ISUID']);

/** clone(2) flags (PPM_CL_*). */
export const CLONE_FLAGS: FlagTable = bits([
  'CLONE_FILES', 'CLONE_FS', 'CLONE_IO', 'CLONE_NEWIPC', 'CLONE_NEWNET', 'CLONE_NEWNS', 'CLONE_NEWPID', 'CLONE_NEWUTS',
  'CLONE_PARENT', 'CLONE_PARENT_SETTID', 'CLONE_PTRACE', 'CLONE_SIGHAND', 'CLONE_SYSVSEM', 'CLONE_THREAD', 'CLONE_UNTRACED',
  'CLONE_VM', 'CLONE_INVERTED', 'NAME_CHANGED', 'CLOSED', 'ACTIVE', 'CLONE_NEWUSER', 'PIPE_SRC', 'PIPE_DST',
  'CLONE_CHILD_CLEARTID', 'CLONE_CHILD_SETTID', 'CLONE_SETTLS', 'CLONE_STOPPED', 'CLONE_VFORK', 'CLONE_NEWCGROUP',
  'CHILD_IN_PIDNS', 'IS_MAIN_THREAD',
]);

/** mmap/mprotect protection (PPM_PROT_*). */
export const PROT_FLAGS: FlagTable = [[0, 'PROT_NONE'], ...bits(['PROT_READ', 'PROT_WRITE', 'PROT_EXEC', 'PROT_SEM', 'PROT_GROWSDOWN', 'PROT_GROWSUP', 'PROT_SAO'])];

/** mmap flags (PPM_MAP_*). */
export const MMAP_FLAGS: FlagTable = bits(['MAP_SHARED', 'MAP_PRIVATE', 'MAP_FIXED', 'MAP_ANONYMOUS', 'MAP_32BIT', 'MAP_RENAME', 'MAP_NORESERVE', 'MAP_POPULATE', 'MAP_NONBLOCK', 'MAP_GROWSDOWN', 'MAP_DENYWRITE', 'MAP_EXECUTABLE', 'MAP_INHERIT', 'MAP_FILE', 'MAP_LOCKED']);

/** access(2) modes (PPM_*_OK). */
export const ACCESS_MODES: FlagTable = [[0, 'F_OK'], [1, 'X_OK'], [2, 'W_OK'], [4, 'R_OK']];

/** unlinkat/linkat/fchownat flags. */
export const AT_FLAGS: FlagTable = [[0x200, 'AT_REMOVEDIR'], [0x400, 'AT_SYMLINK_FOLLOW'], [0x1000, 'AT_EMPTY_PATH'], [0x100, 'AT_SYMLINK_NOFOLLOW']];

/** execve/execveat exit flags (PPM_EXE_*): facts about the executable the kernel saw. */
export const EXECVE_FLAGS: FlagTable = [[1, 'EXE_WRITABLE'], [2, 'EXE_UPPER_LAYER'], [4, 'EXE_FROM_MEMFD'], [8, 'EXE_LOWER_LAYER']];

/** execveat(2) call flags (PPM_EXVAT_*). */
export const EXECVEAT_FLAGS: FlagTable = [[1, 'AT_EMPTY_PATH'], [2, 'AT_SYMLINK_NOFOLLOW']];

/** futex(2) operations (PPM_FU_*): an operation number plus two flag bits, in libs' table order. */
export const FUTEX_OPERATIONS: FlagTable = [
  [256, 'FUTEX_CLOCK_REALTIME'], [128, 'FUTEX_PRIVATE_FLAG'], [12, 'FUTEX_CMP_REQUEUE_PI'], [11, 'FUTEX_WAIT_REQUEUE_PI'],
  [10, 'FUTEX_WAKE_BITSET'], [9, 'FUTEX_WAIT_BITSET'], [8, 'FUTEX_TRYLOCK_PI'], [7, 'FUTEX_UNLOCK_PI'], [6, 'FUTEX_LOCK_PI'],
  [5, 'FUTEX_WAKE_OP'], [4, 'FUTEX_CMP_REQUEUE'], [3, 'FUTEX_REQUEUE'], [2, 'FUTEX_FD'], [1, 'FUTEX_WAKE'], [0, 'FUTEX_WAIT'],
];

/** Enum names by value. */
export type EnumTable = Readonly<Record<number, string>>;

const seq = (names: string[], first = 0): EnumTable => Object.fromEntries(names.map((n, i) => [i + first, n]));

/** ptrace requests (PPM_PTRACE_*). */
export const PTRACE_REQUESTS: EnumTable = seq([
  'PTRACE_TRACEME', 'PTRACE_PEEKTEXT', 'PTRACE_PEEKDATA', 'PTRACE_PEEKUSR', 'PTRACE_POKETEXT', 'PTRACE_POKEDATA', 'PTRACE_POKEUSR',
  'PTRACE_CONT', 'PTRACE_KILL', 'PTRACE_SINGLESTEP', 'PTRACE_ATTACH', 'PTRACE_DETACH', 'PTRACE_SYSCALL', 'PTRACE_SETOPTIONS',
  'PTRACE_GETEVENTMSG', 'PTRACE_GETSIGINFO', 'PTRACE_SETSIGINFO', 'PTRACE_GETREGSET', 'PTRACE_SETREGSET', 'PTRACE_SEIZE',
  'PTRACE_INTERRUPT', 'PTRACE_LISTEN', 'PTRACE_PEEKSIGINFO', 'PTRACE_GETSIGMASK', 'PTRACE_SETSIGMASK', 'PTRACE_GETREGS',
  'PTRACE_SETREGS', 'PTRACE_GETFPREGS', 'PTRACE_SETFPREGS', 'PTRACE_GETFPXREGS', 'PTRACE_SETFPXREGS', 'PTRACE_OLDSETOPTIONS',
  'PTRACE_GET_THREAD_AREA', 'PTRACE_SET_THREAD_AREA', 'PTRACE_ARCH_PRCTL', 'PTRACE_SYSEMU', 'PTRACE_SYSEMU_SINGLESTEP', 'PTRACE_SINGLEBLOCK',
], 1);

/** bpf(2) commands. */
export const BPF_COMMANDS: EnumTable = seq([
  'BPF_MAP_CREATE', 'BPF_MAP_LOOKUP_ELEM', 'BPF_MAP_UPDATE_ELEM', 'BPF_MAP_DELETE_ELEM', 'BPF_MAP_GET_NEXT_KEY', 'BPF_PROG_LOAD',
  'BPF_OBJ_PIN', 'BPF_OBJ_GET', 'BPF_PROG_ATTACH', 'BPF_PROG_DETACH', 'BPF_PROG_TEST_RUN', 'BPF_PROG_GET_NEXT_ID',
  'BPF_MAP_GET_NEXT_ID', 'BPF_PROG_GET_FD_BY_ID', 'BPF_MAP_GET_FD_BY_ID', 'BPF_OBJ_GET_INFO_BY_FD', 'BPF_PROG_QUERY',
  'BPF_RAW_TRACEPOINT_OPEN', 'BPF_BTF_LOAD', 'BPF_BTF_GET_FD_BY_ID', 'BPF_TASK_FD_QUERY', 'BPF_MAP_LOOKUP_AND_DELETE_ELEM',
  'BPF_MAP_FREEZE', 'BPF_BTF_GET_NEXT_ID', 'BPF_MAP_LOOKUP_BATCH', 'BPF_MAP_LOOKUP_AND_DELETE_BATCH', 'BPF_MAP_UPDATE_BATCH',
  'BPF_MAP_DELETE_BATCH', 'BPF_LINK_CREATE', 'BPF_LINK_UPDATE', 'BPF_LINK_GET_FD_BY_ID', 'BPF_LINK_GET_NEXT_ID',
  'BPF_ENABLE_STATS', 'BPF_ITER_CREATE', 'BPF_LINK_DETACH', 'BPF_PROG_BIND_MAP',
]);

/** Socket families (PPM_AF_*). */
export const SOCKET_FAMILIES: EnumTable = {
  0: 'AF_UNSPEC', 1: 'AF_LOCAL', 2: 'AF_INET', 3: 'AF_AX25', 4: 'AF_IPX', 5: 'AF_APPLETALK', 6: 'AF_NETROM', 7: 'AF_BRIDGE',
  8: 'AF_ATMPVC', 9: 'AF_X25', 10: 'AF_INET6', 11: 'AF_ROSE', 12: 'AF_DECnet', 13: 'AF_NETBEUI', 14: 'AF_SECURITY', 15: 'AF_KEY',
  16: 'AF_NETLINK', 17: 'AF_PACKET', 18: 'AF_ASH', 19: 'AF_ECONET', 20: 'AF_ATMSVC', 21: 'AF_RDS', 22: 'AF_SNA', 23: 'AF_IRDA',
  24: 'AF_PPPOX', 25: 'AF_WANPIPE', 26: 'AF_LLC', 29: 'AF_CAN', 30: 'AF_TIPC', 31: 'AF_BLUETOOTH', 32: 'AF_IUCV', 33: 'AF_RXRPC',
  34: 'AF_ISDN', 35: 'AF_PHONET', 36: 'AF_IEEE802154', 37: 'AF_CAIF', 38: 'AF_ALG', 39: 'AF_NFC',
};

/** fcntl commands (PPM_FCNTL_*). */
export const FCNTL_COMMANDS: EnumTable = {
  0: 'F_UNKNOWN', 1: 'F_DUPFD', 2: 'F_GETFD', 3: 'F_SETFD', 4: 'F_GETFL', 5: 'F_SETFL', 6: 'F_GETLK', 8: 'F_SETLK', 9: 'F_SETLKW',
  10: 'F_SETOWN', 12: 'F_GETOWN', 13: 'F_SETSIG', 15: 'F_GETSIG', 21: 'F_SETOWN_EX', 22: 'F_GETOWN_EX', 23: 'F_SETLEASE',
  24: 'F_GETLEASE', 25: 'F_CANCELLK', 26: 'F_DUPFD_CLOEXEC', 27: 'F_NOTIFY', 28: 'F_SETPIPE_SZ', 29: 'F_GETPIPE_SZ',
  30: 'F_OFD_GETLK', 31: 'F_OFD_SETLK', 32: 'F_OFD_SETLKW',
};

/** Signal names by number (Linux x86 numbering, as sinsp prints sig parameters). */
export const SIGNAL_NAMES: EnumTable = seq([
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2',
  'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG',
  'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
], 1);

/** getrlimit/setrlimit/prlimit resources (PPM_RLIMIT_*). */
export const RLIMIT_RESOURCES: EnumTable = {
  ...seq(['RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_DATA', 'RLIMIT_STACK', 'RLIMIT_CORE', 'RLIMIT_RSS', 'RLIMIT_NPROC', 'RLIMIT_NOFILE',
    'RLIMIT_MEMLOCK', 'RLIMIT_AS', 'RLIMIT_LOCKS', 'RLIMIT_SIGPENDING', 'RLIMIT_MSGQUEUE', 'RLIMIT_NICE', 'RLIMIT_RTPRIO', 'RLIMIT_RTTIME']),
  255: 'RLIMIT_UNKNOWN',
};

/** Linux capability names by bit. */
export const CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW',
  'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD',
  'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** Linux errno names by number. */
export const ERRNO_NAMES: readonly string[] = [
  '', 'EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'ECHILD', 'EAGAIN', 'ENOMEM', 'EACCES',
  'EFAULT', 'ENOTBLK', 'EBUSY', 'EEXIST', 'EXDEV', 'ENODEV', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ENFILE', 'EMFILE', 'ENOTTY',
  'ETXTBSY', 'EFBIG', 'ENOSPC', 'ESPIPE', 'EROFS', 'EMLINK', 'EPIPE', 'EDOM', 'ERANGE', 'EDEADLK', 'ENAMETOOLONG', 'ENOLCK',
  'ENOSYS', 'ENOTEMPTY', 'ELOOP', '', 'ENOMSG', 'EIDRM', 'ECHRNG', 'EL2NSYNC', 'EL3HLT', 'EL3RST', 'ELNRNG', 'EUNATCH', 'ENOCSI',
  'EL2HLT', 'EBADE', 'EBADR', 'EXFULL', 'ENOANO', 'EBADRQC', 'EBADSLT', '', 'EBFONT', 'ENOSTR', 'ENODATA', 'ETIME', 'ENOSR',
  'ENONET', 'ENOPKG', 'EREMOTE', 'ENOLINK', 'EADV', 'ESRMNT', 'ECOMM', 'EPROTO', 'EMULTIHOP', 'EDOTDOT', 'EBADMSG', 'EOVERFLOW',
  'ENOTUNIQ', 'EBADFD', 'EREMCHG', 'ELIBACC', 'ELIBBAD', 'ELIBSCN', 'ELIBMAX', 'ELIBEXEC', 'EILSEQ', 'ERESTART', 'ESTRPIPE',
  'EUSERS', 'ENOTSOCK', 'EDESTADDRREQ', 'EMSGSIZE', 'EPROTOTYPE', 'ENOPROTOOPT', 'EPROTONOSUPPORT', 'ESOCKTNOSUPPORT',
  'EOPNOTSUPP', 'EPFNOSUPPORT', 'EAFNOSUPPORT', 'EADDRINUSE', 'EADDRNOTAVAIL', 'ENETDOWN', 'ENETUNREACH', 'ENETRESET',
  'ECONNABORTED', 'ECONNRESET', 'ENOBUFS', 'EISCONN', 'ENOTCONN', 'ESHUTDOWN', 'ETOOMANYREFS', 'ETIMEDOUT', 'ECONNREFUSED',
  'EHOSTDOWN', 'EHOSTUNREACH', 'EALREADY', 'EINPROGRESS', 'ESTALE', 'EUCLEAN', 'ENOTNAM', 'ENAVAIL', 'EISNAM', 'EREMOTEIO',
  'EDQUOT', 'ENOMEDIUM', 'EMEDIUMTYPE', 'ECANCELED', 'ENOKEY', 'EKEYEXPIRED', 'EKEYREVOKED', 'EKEYREJECTED', 'EOWNERDEAD',
  'ENOTRECOVERABLE', 'ERFKILL', 'EHWPOISON',
];

/** Renders a flag value as `A|B` (exact matches first for multi-bit entries); '' when nothing matches. */
export function renderFlags(v: number, table: FlagTable): string {
  if (v === 0) return table.find(([b]) => b === 0)?.[1] ?? '';
  const out: string[] = [];
  let rest = v;
  for (const [b, n] of table) {
    if (b === 0) continue;
    if ((rest & b) === b && b !== 0) {
      out.push(n);
      rest &= ~b;
    }
  }
  return out.join('|');
}

/** Picks the flag/enum table for an event parameter, or undefined. */
export function tableFor(evtName: string, param: string, type: number, dir: '>' | '<' = '<'): FlagTable | EnumTable | undefined {
  if (type === 42) return MODE_FLAGS; // PT_MODE
  switch (param) {
    case 'flags':
      // the exit's flags describe the executable; execveat's enter flags are the call's own
      if (evtName === 'execve' || evtName === 'execveat') return dir === '<' ? EXECVE_FLAGS : EXECVEAT_FLAGS;
      if (evtName.startsWith('open') || evtName === 'creat') return OPEN_FLAGS;
      if (evtName.startsWith('clone') || evtName === 'fork' || evtName === 'vfork') return CLONE_FLAGS;
      if (evtName === 'unlinkat' || evtName === 'linkat' || evtName === 'fchownat' || evtName === 'fchmodat') return AT_FLAGS;
      if (evtName === 'mmap' || evtName === 'mmap2') return MMAP_FLAGS;
      return undefined;
    case 'mode':
      return evtName === 'access' || evtName === 'faccessat' || evtName === 'faccessat2' ? ACCESS_MODES : undefined;
    case 'resource':
      return RLIMIT_RESOURCES;
    case 'op':
      return evtName === 'futex' ? FUTEX_OPERATIONS : undefined;
    case 'request':
      return evtName === 'ptrace' ? PTRACE_REQUESTS : undefined;
    case 'cmd':
      return evtName === 'bpf' ? BPF_COMMANDS : evtName === 'fcntl' ? FCNTL_COMMANDS : undefined;
    case 'domain':
      return SOCKET_FAMILIES;
    case 'prot':
      return PROT_FLAGS;
    default:
      return undefined;
  }
}
