/* Records shared by the BPF program and the loader. Every record starts with the same header;
 * the body that follows depends on the record's class, so a close or a dup costs 88 bytes of
 * ring buffer instead of the 2 KiB a path or an exec needs. */
#ifndef VIGIL_H
#define VIGIL_H

#define VIGIL_MAX_SYSCALLS 512 /* syscall ids are masked with (VIGIL_MAX_SYSCALLS - 1) */
#define VIGIL_MAX_CPUS 256     /* per-CPU counters in .bss (masked with VIGIL_MAX_CPUS - 1) */
#define VIGIL_STR_MAX 256      /* a path argument (PATH_MAX is cut, like Falco's snaplen for paths) */
#define VIGIL_BUF_MAX 1024     /* exec argv, data buffers (snaplen applies inside) */
#define VIGIL_SA_MAX 112       /* a user sockaddr (sockaddr_un is 110 bytes) */

enum vigil_rec_kind {
	VIGIL_REC_SYSCALL = 1, /* a syscall exit with its arguments */
	VIGIL_REC_EXEC = 2,    /* sched_process_exec: the new program image */
	VIGIL_REC_EXIT = 3,    /* sched_process_exit (exit code in args[0]) */
	VIGIL_REC_CLONE = 4,   /* clone/fork/vfork/clone3 returning: ret 0 in the child, the child's id (or an error) in the caller */
};

/* Body layout that follows the header (one ring-buffer reservation size each). */
enum vigil_rec_class {
	VIGIL_CLS_NONE = 0, /* header only */
	VIGIL_CLS_STR = 1,  /* struct vigil_str: one or two strings */
	VIGIL_CLS_SOCK = 2, /* struct vigil_sock: user sockaddr + the kernel socket's tuple */
	VIGIL_CLS_BUF = 3,  /* struct vigil_strbuf: one string + a data buffer */
	VIGIL_CLS_PROC = 4, /* struct vigil_proc: process facts, strings and the command line */
};

/* What to read at syscall exit, per syscall id (set by the loader before attaching). Argument
 * indexes are 1-based so that 0 means "none". */
struct vigil_spec {
	__u8 enabled;
	__u8 str0, str1;  /* arguments that are NUL-terminated user strings */
	__u8 sock;        /* argument holding a struct sockaddr */
	__u8 sock_len;    /* 1: its length is the next argument; 2: behind a pointer in the next argument */
	__u8 tuple;       /* read the kernel socket: 1 = fd in arg 0 (connect), 2 = fd is the return value (accept) */
	__u8 buf;         /* argument holding a data buffer */
	__u8 buf_len;     /* 1: its length is the next argument; 2: the return value */
};

struct vigil_hdr {
	__u64 ts;        /* ns since boot; the loader adds the boot time */
	__u32 tid, pid;
	__u16 kind, cls;
	__u16 syscall;
	__u16 s0_len, s1_len, buf_len;
	__u16 size;      /* bytes reserved for this record (the BPF side's wake-up accounting) */
	__u16 pad;
	__s64 ret;
	__u64 args[6];
};

struct vigil_str {
	char s0[VIGIL_STR_MAX];
	char s1[VIGIL_STR_MAX];
};

struct vigil_strbuf {
	char s0[VIGIL_STR_MAX];
	char buf[VIGIL_BUF_MAX];
};

/* The kernel's view of a socket at syscall exit: addresses in network byte order, ports in host order. */
struct vigil_sock {
	__u16 family;     /* AF_INET, AF_INET6, AF_UNIX; 0 when the fd is not a socket */
	__u16 lport, rport;
	__u16 pad;
	__u8 laddr[16], raddr[16];
	__u64 sk, peer;   /* unix sockets: kernel addresses of this end and of its peer */
	char sa[VIGIL_SA_MAX];
};

struct vigil_proc {
	__u64 cap_inh, cap_prm, cap_eff;  /* Linux capability bits (scap uses the same positions) */
	__u64 exe_ino;
	__u64 exe_ctime, exe_mtime; /* exec only: the image's inode times, ns since the epoch */
	__u32 exe_layer;  /* exec only: 1 = the image is in an overlayfs upper layer, 2 = in a lower layer */
	__u64 clone_flags;        /* clone family only: the kernel CLONE_* flags the call was made with */
	__u32 ppid, uid, gid, loginuid, tty, exe_mode; /* uid/gid: effective ids, as scap's clone/execve carry */
	__u32 vtid, vpid;         /* thread and process ids in the task's own pid namespace */
	__u32 exe_writable;       /* exec only: the image is writable by the new image's credentials (the driver's rule) */
	__u32 in_pidns;           /* clone family only: scap's PPM_CL_CHILD_IN_PIDNS (the driver's rule) */
	char comm[16];
	char cg_parent[64];
	char cg_leaf[96];
	char s0[VIGIL_STR_MAX];
	char s1[VIGIL_STR_MAX];
	char buf[VIGIL_BUF_MAX];
};

/* Per-CPU counters, one cache line each (no false sharing between CPUs). */
struct vigil_counter {
	__u64 sent, lost;
	__u64 unwoken; /* bytes submitted since this CPU last woke the reader */
	__u64 pad[5];
};

#endif
