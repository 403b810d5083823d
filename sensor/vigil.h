/* Records shared by the BPF program and the loader. Fixed layout, fixed sizes: the BPF side
 * reserves one record per event in the ring buffer; the loader turns records into scap events. */
#ifndef VIGIL_H
#define VIGIL_H

#define VIGIL_MAX_SYSCALLS 512
#define VIGIL_STR_MAX 256     /* a path argument (PATH_MAX is cut, like Falco's snaplen for paths) */
#define VIGIL_BUF_MAX 1024    /* exec argv, sockaddrs, data buffers (snaplen applies inside) */

enum vigil_rec_kind {
	VIGIL_REC_SYSCALL = 1, /* a syscall exit with its saved arguments */
	VIGIL_REC_EXEC = 2,    /* sched_process_exec: the new program image */
	VIGIL_REC_EXIT = 3,    /* sched_process_exit */
	VIGIL_REC_CLONE = 4,   /* the child side of clone/fork/vfork/clone3 returning 0 */
};

/* What to read from user memory at syscall exit, per syscall id (set by the loader). */
enum vigil_arg_kind {
	VIGIL_ARG_NONE = 0,
	VIGIL_ARG_STR = 1,      /* NUL-terminated user string -> s0 then s1 */
	VIGIL_ARG_SOCKADDR = 2, /* struct sockaddr, length in the next argument -> buf */
	VIGIL_ARG_BUF_RET = 3,  /* data buffer whose length is the return value (read/recv) -> buf */
	VIGIL_ARG_BUF_LEN = 4,  /* data buffer whose length is the next argument (write/send) -> buf */
	VIGIL_ARG_SOCKADDR_PTRLEN = 5, /* struct sockaddr, length behind a pointer in the next arg (accept) */
};

struct vigil_spec {
	__u8 enabled;
	__u8 kind[6];
	__u8 pad;
};

struct vigil_rec {
	__u64 ts;        /* ns since boot; the loader adds the boot time */
	__u32 tid, pid, ppid, uid, gid, loginuid;
	__u32 kind, syscall;
	__s64 ret;
	__u64 args[6];
	__u32 s0_len, s1_len, buf_len;
	__u32 exit_code;
	__u32 tty;
	__u32 pad;
	__u64 cap_eff, cap_prm, cap_inh;
	char comm[16];
	char cg_parent[64];
	char cg_leaf[96];
	char s0[VIGIL_STR_MAX];
	char s1[VIGIL_STR_MAX];
	char buf[VIGIL_BUF_MAX];
};

#endif
