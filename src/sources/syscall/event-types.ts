/**
 * The evt.type names a syscall rule may use: every scap event name (e.g. open, execve,
 * procexit, container, switch) plus every system call name Falco knows, since syscalls
 * without a dedicated event arrive as generic events named after the syscall (e.g. ptrace,
 * mprotect). A condition naming anything else fails with "unknown event type NAME".
 * @module
 */
import { EVENTS, SYSCALL_NAMES } from './scap/index.ts';

// System calls of other architectures (32-bit, arm, s390x, riscv) and of recent kernels that
// libsinsp's syscall table also names; x86_64 names come from the scap room's table.
const OTHER_SYSCALLS =
  'socketcall ipc _llseek llseek mmap2 stat64 fstat64 lstat64 fstatat64 fcntl64 sendfile64 truncate64 ftruncate64 ' +
  'statfs64 fstatfs64 getuid32 getgid32 geteuid32 getegid32 setuid32 setgid32 setreuid32 setregid32 setresuid32 ' +
  'getresuid32 setresgid32 getresgid32 chown32 lchown32 fchown32 getgroups32 setgroups32 setfsuid32 setfsgid32 ' +
  'sigreturn sigaction sigprocmask sigsuspend sigpending signal sgetmask ssetmask waitpid nice umount oldumount ' +
  'oldstat oldfstat oldlstat olduname oldolduname readdir stime bdflush idle vm86 vm86old ugetrlimit ' +
  'send recv pread pwrite sync_file_range2 arm_fadvise64_64 fadvise64_64 arm_sync_file_range cacheflush ' +
  'breakpoint set_tls usr26 usr32 riscv_flush_icache riscv_hwprobe s390_runtime_instr s390_pci_mmio_read ' +
  's390_pci_mmio_write s390_guarded_storage s390_sthyi clock_gettime64 clock_settime64 clock_adjtime64 ' +
  'clock_getres_time64 clock_nanosleep_time64 timer_gettime64 timer_settime64 timerfd_gettime64 timerfd_settime64 ' +
  'utimensat_time64 pselect6_time64 ppoll_time64 io_pgetevents_time64 recvmmsg_time64 mq_timedsend_time64 ' +
  'mq_timedreceive_time64 semtimedop_time64 rt_sigtimedwait_time64 futex_time64 sched_rr_get_interval_time64 ' +
  'cachestat fchmodat2 map_shadow_stack futex_wake futex_wait futex_requeue statmount listmount ' +
  'lsm_get_self_attr lsm_set_self_attr lsm_list_modules mseal setxattrat getxattrat listxattrat removexattrat ' +
  'uretprobe open_tree_attr';

/** Every known evt.type name. */
export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([
  ...EVENTS.map((e) => e.name).filter((n) => n !== 'NA'),
  ...SYSCALL_NAMES,
  ...OTHER_SYSCALLS.split(' '),
]);

/** True when `name` is an evt.type Falco would accept in a condition. */
export function knownEventType(name: string): boolean {
  return KNOWN_EVENT_TYPES.has(name);
}
