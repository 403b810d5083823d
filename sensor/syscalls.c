/* Record -> scap event conversion. Event ids and parameter orders come from the scap event
 * table (event-ids.h); values use scap's encodings (PPM open flags, sockaddr/socktuple). */
#include "syscalls.h"
#include "event-ids.h"
#include "scap-writer.h"
#include "procfs.h"
#include <string.h>
#include <stdio.h>
#include <sys/resource.h>

#define S VIGIL_ARG_STR
#define SA VIGIL_ARG_SOCKADDR
#define SAP VIGIL_ARG_SOCKADDR_PTRLEN

const struct syscall_def SYSCALLS[] = {
	{2, "open", {S}, 1},
	{3, "close", {0}, 1},
	{32, "dup", {0}, 1},
	{33, "dup2", {0}, 1},
	{41, "socket", {0}, 1},
	{42, "connect", {0, SA}, 1},
	{43, "accept", {0, SAP}, 1},
	{49, "bind", {0, SA}, 1},
	{50, "listen", {0}, 1},
	{56, "clone", {0}, 1},
	{57, "fork", {0}, 1},
	{58, "vfork", {0}, 1},
	{59, "execve", {S}, 1},
	{82, "rename", {S, S}, 0},
	{83, "mkdir", {S}, 0},
	{84, "rmdir", {S}, 0},
	{86, "link", {S, S}, 0},
	{87, "unlink", {S}, 0},
	{88, "symlink", {S, S}, 0},
	{90, "chmod", {S}, 0},
	{101, "ptrace", {0}, 0},
	{175, "init_module", {0}, 0},
	{257, "openat", {0, S}, 1},
	{258, "mkdirat", {0, S}, 0},
	{263, "unlinkat", {0, S}, 0},
	{264, "renameat", {0, S, 0, S}, 0},
	{265, "linkat", {0, S, 0, S}, 0},
	{266, "symlinkat", {S, 0, S}, 0},
	{288, "accept4", {0, SAP}, 1},
	{292, "dup3", {0}, 1},
	{313, "finit_module", {0}, 0},
	{316, "renameat2", {0, S, 0, S}, 0},
	{319, "memfd_create", {S}, 1},
	{322, "execveat", {0, S}, 1},
	{435, "clone3", {0}, 1},
	{437, "openat2", {0, S, VIGIL_ARG_BUF_LEN}, 1}, /* struct open_how, its size in arg 3 */
};
const int NSYSCALLS = sizeof SYSCALLS / sizeof SYSCALLS[0];

const struct syscall_def *syscall_by_name(const char *name)
{
	for (int i = 0; i < NSYSCALLS; i++)
		if (strcmp(SYSCALLS[i].name, name) == 0) return &SYSCALLS[i];
	return NULL;
}

/* Linux open flags -> PPM_O_* */
/* Linux RESOLVE_* -> scap PPM_RESOLVE_* (openat2's resolve parameter). */
static uint32_t resolve_flags(uint64_t f)
{
	uint32_t r = 0;
	if (f & 0x08) r |= 1 << 0;  /* RESOLVE_BENEATH */
	if (f & 0x10) r |= 1 << 1;  /* RESOLVE_IN_ROOT */
	if (f & 0x02) r |= 1 << 2;  /* RESOLVE_NO_MAGICLINKS */
	if (f & 0x04) r |= 1 << 3;  /* RESOLVE_NO_SYMLINKS */
	if (f & 0x01) r |= 1 << 4;  /* RESOLVE_NO_XDEV */
	if (f & 0x20) r |= 1 << 5;  /* RESOLVE_CACHED */
	return r;
}

static uint32_t open_flags(uint64_t f)
{
	uint32_t r = 0;
	switch (f & 3) {
	case 0: r |= 1; break;        /* O_RDONLY */
	case 1: r |= 2; break;        /* O_WRONLY */
	case 2: r |= 3; break;        /* O_RDWR */
	}
	if (f & 0100) r |= 1 << 2;     /* O_CREAT */
	if (f & 02000) r |= 1 << 3;    /* O_APPEND */
	if (f & 010000) r |= 1 << 4;   /* O_DSYNC */
	if (f & 0200) r |= 1 << 5;     /* O_EXCL */
	if (f & 04000) r |= 1 << 6;    /* O_NONBLOCK */
	if ((f & 04010000) == 04010000) r |= 1 << 7; /* O_SYNC */
	if (f & 01000) r |= 1 << 8;    /* O_TRUNC */
	if (f & 040000) r |= 1 << 9;   /* O_DIRECT */
	if (f & 0200000) r |= 1 << 10; /* O_DIRECTORY */
	if (f & 0100000) r |= 1 << 11; /* O_LARGEFILE */
	if (f & 02000000) r |= 1 << 12;/* O_CLOEXEC */
	if ((f & 020200000) == 020200000) r |= 1 << 13; /* O_TMPFILE */
	return r;
}

/* struct sockaddr (user memory) -> scap PT_SOCKADDR; writes into out, returns its length. */
static size_t sockaddr_param(const uint8_t *sa, uint32_t n, uint8_t *out)
{
	if (n < 2) return 0;
	uint16_t fam = sa[0] | sa[1] << 8;
	if (fam == 2 && n >= 8) { /* AF_INET: port (be16) at 2, addr at 4 */
		out[0] = 2;
		memcpy(out + 1, sa + 4, 4);
		uint16_t port = sa[2] << 8 | sa[3];
		memcpy(out + 5, &port, 2);
		return 7;
	}
	if (fam == 10 && n >= 24) { /* AF_INET6: port at 2, addr at 8 */
		out[0] = 10;
		memcpy(out + 1, sa + 8, 16);
		uint16_t port = sa[2] << 8 | sa[3];
		memcpy(out + 17, &port, 2);
		return 19;
	}
	if (fam == 1) { /* AF_UNIX: path at 2 */
		out[0] = 1;
		size_t pl = strnlen((const char *)sa + 2, n > 2 ? n - 2 : 0);
		if (pl == 0 && n > 3) pl = strnlen((const char *)sa + 3, n - 3) + 1; /* abstract: keep the leading NUL as '@'? */
		memcpy(out + 1, sa + 2, pl);
		out[1 + pl] = 0;
		if (out[1] == 0 && pl > 0) out[1] = '@';
		return pl + 2;
	}
	out[0] = (uint8_t)fam;
	return 1;
}

/* A connection tuple. `peer_is_src`: accept puts the peer (client) first; connect puts us first.
 * The local side is not known to the sensor yet (see sensor/README.md): it is written as 0. */
static size_t tuple_param(const uint8_t *sa, uint32_t n, int peer_is_src, uint8_t *out)
{
	uint8_t a[64];
	size_t al = sockaddr_param(sa, n, a);
	if (al == 7) {
		out[0] = 2;
		uint8_t zero[6] = {0};
		memcpy(out + 1, peer_is_src ? a + 1 : zero, 6);
		memcpy(out + 7, peer_is_src ? zero : a + 1, 6);
		return 13;
	}
	if (al == 19) {
		out[0] = 10;
		uint8_t zero[18] = {0};
		memcpy(out + 1, peer_is_src ? a + 1 : zero, 18);
		memcpy(out + 19, peer_is_src ? zero : a + 1, 18);
		return 37;
	}
	if (al >= 2 && a[0] == 1) {
		out[0] = 1;
		memset(out + 1, 0, 16);
		memcpy(out + 17, a + 1, al - 1);
		return 17 + al - 1;
	}
	return 0;
}

/* The common process block of execve/clone exit events (params 2..15). */
static void process_params(const struct vigil_rec *r, const char *exe_arg, int with_env)
{
	char cwd[512], cg[4096], env[4096];
	const char *args = r->buf;
	uint32_t alen = r->buf_len;
	/* exe is argv[0]; args are the remaining NUL-separated arguments */
	size_t a0 = strnlen(args, alen);
	char exe[512];
	snprintf(exe, sizeof exe, "%.*s", (int)a0, args);
	sw_p_str(exe_arg ? exe_arg : (a0 ? exe : r->comm), 512);
	if (a0 < alen) sw_p_bytes(args + a0 + 1, alen - a0 - 1); else sw_p_empty();
	sw_p_u64(r->tid);
	sw_p_u64(r->pid);
	sw_p_u64(r->ppid);
	procfs_cwd(r->pid, cwd, sizeof cwd);
	sw_p_str(cwd, sizeof cwd);
	struct rlimit rl;
	sw_p_u64(getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024);
	sw_p_u64(0); sw_p_u64(0);               /* page faults */
	sw_p_u32(0); sw_p_u32(0); sw_p_u32(0);  /* vm size/rss/swap */
	sw_p_str(r->comm, sizeof r->comm);
	/* cgroups: /proc when the process is still there, else the two components from BPF */
	size_t cl = procfs_cgroups(r->pid, cg, sizeof cg);
	if (cl == 0 && r->cg_leaf[0]) {
		int w = snprintf(cg, sizeof cg, "memory=/%s%s%s", r->cg_parent, r->cg_parent[0] ? "/" : "", r->cg_leaf);
		cl = w > 0 ? (size_t)w + 1 : 0;
	}
	sw_p_bytes(cg, cl);
	if (with_env) {
		size_t el = procfs_environ(r->pid, env, sizeof env);
		sw_p_bytes(env, el);
	}
}


/* execve's flags parameter: PPM_EXE_FROM_MEMFD (1 << 2) when the image is a memfd, which is
 * also PPM_EXE_WRITABLE (1 << 0) when its mode has a write bit. Not computed yet for other files
 * (writable by the caller, overlayfs upper/lower layer). */
static uint32_t exec_flags(const struct vigil_rec *r)
{
	uint32_t f = 0;
	if (r->s1_len > 6 && !strncmp(r->s1, "memfd:", 6)) {
		f |= 1 << 2;
		if (r->exit_code & 0222) f |= 1 << 0;
	}
	return f;
}

void convert_record(const struct vigil_rec *r, uint64_t boot_ns, uint16_t cpu)
{
	uint64_t ts = r->ts + boot_ns;
	uint8_t tmp[128];
	size_t n;
	switch (r->kind) {
	case VIGIL_REC_EXEC: {
		char exepath[512];
		sw_ev_begin(PPME_SYSCALL_EXECVE_19_X, ts, r->tid, cpu);
		sw_p_u64(0); /* res */
		process_params(r, NULL, 1);
		sw_p_u32(r->tty);
		sw_p_u64(r->pid);       /* vpgid (approximation: the process itself) */
		sw_p_u32(r->loginuid);
		sw_p_u32(exec_flags(r)); /* flags */
		sw_p_u64(0); sw_p_u64(0); sw_p_u64(0); /* caps */
		sw_p_u64(0); sw_p_u64(0); sw_p_u64(0); /* exe inode, ctime, mtime */
		sw_p_u32(r->uid);
		procfs_exe(r->pid, exepath, sizeof exepath);
		sw_p_str(exepath[0] ? exepath : r->s0, 512); /* trusted_exepath */
		sw_p_u64(r->pid);       /* pgid */
		sw_p_u32(r->gid);
		sw_p_str(r->s0, sizeof r->s0); /* filename */
		sw_ev_end();
		return;
	}
	case VIGIL_REC_CLONE: {
		uint16_t type = r->syscall == 57 ? PPME_SYSCALL_FORK_20_X : r->syscall == 58 ? PPME_SYSCALL_VFORK_20_X
			: r->syscall == 435 ? PPME_SYSCALL_CLONE3_X : PPME_SYSCALL_CLONE_20_X;
		sw_ev_begin(type, ts, r->tid, cpu);
		sw_p_u64(0); /* res: 0 in the child */
		process_params(r, NULL, 0);
		/* flags: PPM_CL_CLONE_THREAD (1<<13) when a thread was created */
		sw_p_u32(r->tid != r->pid ? 1u << 13 : 0);
		sw_p_u32(r->uid);
		sw_p_u32(r->gid);
		sw_p_u64(r->tid);
		sw_p_u64(r->pid);
		sw_ev_end();
		return;
	}
	case VIGIL_REC_EXIT:
		sw_ev_begin(PPME_PROCEXIT_1_E, ts, r->tid, cpu);
		sw_p_u64(r->exit_code);
		sw_p_u64(r->exit_code >> 8);
		sw_p_u8(r->exit_code & 0x7f);
		sw_p_u8((r->exit_code & 0x80) != 0);
		sw_p_u64(0);
		sw_ev_end();
		return;
	}
	const __u64 *a = r->args;
	int64_t ret = r->ret;
	switch (r->syscall) {
	case 59: case 322:
		/* a successful exec is written from sched_process_exec; only failures are left here */
		if (ret == 0) return;
		sw_ev_begin(PPME_SYSCALL_EXECVE_19_X, ts, r->tid, cpu);
		sw_p_u64(ret);
		process_params(r, r->s0, 1);
		sw_p_u32(r->tty); sw_p_u64(r->pid); sw_p_u32(r->loginuid); sw_p_u32(0);
		sw_p_u64(0); sw_p_u64(0); sw_p_u64(0); sw_p_u64(0); sw_p_u64(0); sw_p_u64(0);
		sw_p_u32(r->uid); sw_p_str(r->s0, sizeof r->s0); sw_p_u64(r->pid); sw_p_u32(r->gid);
		sw_p_str(r->s0, sizeof r->s0);
		break;
	case 2:
		sw_ev_begin(PPME_SYSCALL_OPEN_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_str(r->s0, sizeof r->s0); sw_p_u32(open_flags(a[1]));
		sw_p_u32(a[2] & 07777); sw_p_u32(0); sw_p_u64(0);
		break;
	case 257: case 437:
		sw_ev_begin(r->syscall == 257 ? PPME_SYSCALL_OPENAT_2_X : PPME_SYSCALL_OPENAT2_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_str(r->s0, sizeof r->s0);
		if (r->syscall == 257) {
			sw_p_u32(open_flags(a[2])); sw_p_u32(a[3] & 07777);
		} else {
			/* openat2 passes flags, mode and resolve in a struct open_how (u64 each) */
			uint64_t how[3] = {0, 0, 0};
			memcpy(how, r->buf, r->buf_len < sizeof how ? r->buf_len : sizeof how);
			sw_p_u32(open_flags(how[0])); sw_p_u32(how[1] & 07777); sw_p_u32(resolve_flags(how[2]));
		}
		sw_p_u32(0); sw_p_u64(0);
		break;
	case 3:
		sw_ev_begin(PPME_SYSCALL_CLOSE_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]);
		break;
	case 32:
		sw_ev_begin(PPME_SYSCALL_DUP_1_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]);
		break;
	case 33: case 292:
		sw_ev_begin(r->syscall == 33 ? PPME_SYSCALL_DUP2_X : PPME_SYSCALL_DUP3_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]); sw_p_u64(a[1]);
		if (r->syscall == 292) sw_p_u32((a[2] & 02000000) ? 1 : 0);
		break;
	case 41:
		sw_ev_begin(PPME_SOCKET_SOCKET_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u32(a[0]); sw_p_u32(a[1]); sw_p_u32(a[2]); sw_p_u32(0);
		break;
	case 42:
		sw_ev_begin(PPME_SOCKET_CONNECT_X, ts, r->tid, cpu);
		sw_p_u64(ret);
		n = tuple_param((const uint8_t *)r->buf, r->buf_len, 0, tmp);
		sw_p_bytes(tmp, n);
		sw_p_u64(a[0]);
		n = sockaddr_param((const uint8_t *)r->buf, r->buf_len, tmp);
		sw_p_bytes(tmp, n);
		break;
	case 43: case 288:
		sw_ev_begin(r->syscall == 43 ? PPME_SOCKET_ACCEPT_5_X : PPME_SOCKET_ACCEPT4_6_X, ts, r->tid, cpu);
		sw_p_u64(ret);
		n = tuple_param((const uint8_t *)r->buf, r->buf_len, 1, tmp);
		sw_p_bytes(tmp, n);
		sw_p_u8(0); sw_p_u32(0); sw_p_u32(0);
		if (r->syscall == 288) sw_p_u32((uint32_t)a[3]);
		break;
	case 49:
		sw_ev_begin(PPME_SOCKET_BIND_X, ts, r->tid, cpu);
		sw_p_u64(ret);
		n = sockaddr_param((const uint8_t *)r->buf, r->buf_len, tmp);
		sw_p_bytes(tmp, n);
		sw_p_u64(a[0]);
		break;
	case 50:
		sw_ev_begin(PPME_SOCKET_LISTEN_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]); sw_p_u32(a[1]);
		break;
	case 82: case 86:
		sw_ev_begin(r->syscall == 82 ? PPME_SYSCALL_RENAME_X : PPME_SYSCALL_LINK_2_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_str(r->s0, sizeof r->s0); sw_p_str(r->s1, sizeof r->s1);
		break;
	case 88:
		sw_ev_begin(PPME_SYSCALL_SYMLINK_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_str(r->s0, sizeof r->s0); sw_p_str(r->s1, sizeof r->s1);
		break;
	case 83:
		sw_ev_begin(PPME_SYSCALL_MKDIR_2_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_str(r->s0, sizeof r->s0); sw_p_u32(a[1]);
		break;
	case 84: case 87:
		sw_ev_begin(r->syscall == 84 ? PPME_SYSCALL_RMDIR_2_X : PPME_SYSCALL_UNLINK_2_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_str(r->s0, sizeof r->s0);
		break;
	case 90:
		sw_ev_begin(PPME_SYSCALL_CHMOD_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_str(r->s0, sizeof r->s0); sw_p_u32(a[1]);
		break;
	case 258:
		sw_ev_begin(PPME_SYSCALL_MKDIRAT_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_str(r->s0, sizeof r->s0); sw_p_u32(a[2]);
		break;
	case 263:
		sw_ev_begin(PPME_SYSCALL_UNLINKAT_2_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_str(r->s0, sizeof r->s0);
		sw_p_u32((a[2] & 0x200) ? 1 : 0); /* AT_REMOVEDIR -> PPM_AT_REMOVEDIR */
		break;
	case 264: case 316: case 265:
		sw_ev_begin(r->syscall == 264 ? PPME_SYSCALL_RENAMEAT_X : r->syscall == 316 ? PPME_SYSCALL_RENAMEAT2_X : PPME_SYSCALL_LINKAT_2_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_str(r->s0, sizeof r->s0);
		sw_p_u64((int64_t)(int32_t)a[2]); sw_p_str(r->s1, sizeof r->s1);
		if (r->syscall != 264) sw_p_u32(a[4]);
		break;
	case 266:
		sw_ev_begin(PPME_SYSCALL_SYMLINKAT_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_str(r->s0, sizeof r->s0); sw_p_u64((int64_t)(int32_t)a[1]); sw_p_str(r->s1, sizeof r->s1);
		break;
	case 319:
		sw_ev_begin(PPME_SYSCALL_MEMFD_CREATE_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_str(r->s0, sizeof r->s0); sw_p_u32(a[1]);
		break;
	case 175:
		sw_ev_begin(PPME_SYSCALL_INIT_MODULE_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_empty(); sw_p_u64(a[1]); sw_p_str("", 1);
		break;
	case 313:
		sw_ev_begin(PPME_SYSCALL_FINIT_MODULE_X, ts, r->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]); sw_p_str("", 1); sw_p_u32(a[2]);
		break;
	default:
		sw_ev_begin(PPME_GENERIC_X, ts, r->tid, cpu);
		sw_p_u16(0); sw_p_u16((uint16_t)r->syscall);
		break;
	}
	sw_ev_end();
}
