/* Record -> scap event conversion. Event ids and parameter orders come from the scap event
 * table (event-ids.h); values use scap's encodings (PPM open flags, sockaddr/socktuple). */
#include "syscalls.h"
#include "event-ids.h"
#include "scap-writer.h"
#include "procfs.h"
#include "params.h"
#include <string.h>
#include <stdio.h>
#include <sys/resource.h>

/* spec fields: enabled, str0, str1, sock, sock_len, tuple, buf, buf_len (argument indexes 1-based) */
#define ON 1
#define STR(a) ON, a
#define STR2(a, b) ON, a, b
#define SOCK(a, how, tup) ON, 0, 0, a, how, tup

#define DATA(how) ON, 0, 0, 0, 0, 0, 2, how

const struct syscall_def SYSCALLS[] = {
	{0, "read", {DATA(2)}, 2},
	{1, "write", {DATA(1)}, 2},
	{2, "open", {STR(1)}, 1},
	{3, "close", {ON}, 1},
	{17, "pread", {DATA(2)}, 2},
	{18, "pwrite", {DATA(1)}, 2},
	{32, "dup", {ON}, 1},
	{33, "dup2", {ON}, 1},
	{41, "socket", {ON}, 1},
	{42, "connect", {SOCK(2, 1, 1)}, 1},
	{43, "accept", {SOCK(2, 2, 2)}, 1},
	{44, "sendto", {SOCK(5, 1, 1)}, 2},
	{46, "sendmsg", {SOCK(0, 0, 1)}, 2},
	{49, "bind", {SOCK(2, 1, 0)}, 1},
	{50, "listen", {ON}, 1},
	{56, "clone", {ON}, 1},
	{57, "fork", {ON}, 1},
	{58, "vfork", {ON}, 1},
	{59, "execve", {STR(1)}, 1},
	{82, "rename", {STR2(1, 2)}, 0},
	{83, "mkdir", {STR(1)}, 0},
	{84, "rmdir", {STR(1)}, 0},
	{86, "link", {STR2(1, 2)}, 0},
	{87, "unlink", {STR(1)}, 0},
	{88, "symlink", {STR2(1, 2)}, 0},
	{90, "chmod", {STR(1)}, 0},
	{101, "ptrace", {ON}, 0},
	{175, "init_module", {ON}, 0},
	{257, "openat", {STR(2)}, 1},
	{258, "mkdirat", {STR(2)}, 0},
	{263, "unlinkat", {STR(2)}, 0},
	{264, "renameat", {STR2(2, 4)}, 0},
	{265, "linkat", {STR2(2, 4)}, 0},
	{266, "symlinkat", {STR2(1, 3)}, 0},
	{288, "accept4", {SOCK(2, 2, 2)}, 1},
	{292, "dup3", {ON}, 1},
	{313, "finit_module", {ON}, 0},
	{316, "renameat2", {STR2(2, 4)}, 0},
	{319, "memfd_create", {STR(1)}, 1},
	{322, "execveat", {STR(2)}, 1},
	{435, "clone3", {ON}, 1},
	{437, "openat2", {ON, 2, 0, 0, 0, 0, 3, 1}, 1}, /* struct open_how, its size in arg 3 */
};
const int NSYSCALLS = sizeof SYSCALLS / sizeof SYSCALLS[0];

const struct syscall_def *syscall_by_name(const char *name)
{
	for (int i = 0; i < NSYSCALLS; i++)
		if (strcmp(SYSCALLS[i].name, name) == 0) return &SYSCALLS[i];
	return NULL;
}

/* A record seen through its class: the strings, buffer, socket and process facts it carries
 * (empty when the class has none), so conversions never read past what was reserved. */
struct view {
	const struct vigil_hdr *h;
	const char *s0, *s1;
	const uint8_t *buf;
	uint32_t buf_len;
	const struct vigil_sock *k;
	const struct vigil_proc *p;
};

static int make_view(const void *rec, size_t size, struct view *v)
{
	static const char empty[1];
	const struct vigil_hdr *h = rec;
	size_t hs = sizeof *h;
	if (size < hs) return -1;
	memset(v, 0, sizeof *v);
	v->h = h;
	v->s0 = v->s1 = empty;
	v->buf = (const uint8_t *)empty;
	const uint8_t *body = (const uint8_t *)(h + 1);
	switch (h->cls) {
	case VIGIL_CLS_NONE:
		return 0;
	case VIGIL_CLS_STR:
		if (size < hs + VIGIL_STR_MAX) return -1;
		v->s0 = (const char *)body;
		if (size >= hs + 2 * VIGIL_STR_MAX) v->s1 = (const char *)body + VIGIL_STR_MAX;
		return 0;
	case VIGIL_CLS_SOCK:
		if (size < hs + sizeof(struct vigil_sock)) return -1;
		v->k = (const struct vigil_sock *)body;
		v->buf = (const uint8_t *)v->k->sa;
		v->buf_len = h->buf_len > VIGIL_SA_MAX ? VIGIL_SA_MAX : h->buf_len;
		return 0;
	case VIGIL_CLS_BUF:
		if (size < hs + sizeof(struct vigil_strbuf)) return -1;
		v->s0 = ((const struct vigil_strbuf *)body)->s0;
		v->buf = (const uint8_t *)((const struct vigil_strbuf *)body)->buf;
		v->buf_len = h->buf_len > VIGIL_BUF_MAX ? VIGIL_BUF_MAX : h->buf_len;
		return 0;
	case VIGIL_CLS_PROC:
		if (size < hs + sizeof(struct vigil_proc)) return -1;
		v->p = (const struct vigil_proc *)body;
		v->s0 = v->p->s0;
		v->s1 = v->p->s1;
		v->buf = (const uint8_t *)v->p->buf;
		v->buf_len = h->buf_len > VIGIL_BUF_MAX ? VIGIL_BUF_MAX : h->buf_len;
		return 0;
	}
	return -1;
}

/* The common process block of execve/clone exit events (params 2..15). */
static void process_params(const struct view *v, const char *exe_arg, int with_env)
{
	char cwd[512], cg[4096], env[4096];
	const struct vigil_hdr *h = v->h;
	const struct vigil_proc *p = v->p;
	const char *args = (const char *)v->buf;
	uint32_t alen = v->buf_len;
	/* exe is argv[0]; args are the remaining NUL-separated arguments */
	size_t a0 = strnlen(args, alen);
	char exe[512];
	snprintf(exe, sizeof exe, "%.*s", (int)a0, args);
	sw_p_str(exe_arg ? exe_arg : (a0 ? exe : p->comm), 512);
	if (a0 < alen) sw_p_bytes(args + a0 + 1, alen - a0 - 1); else sw_p_empty();
	sw_p_u64(h->tid);
	sw_p_u64(h->pid);
	sw_p_u64(p->ppid);
	procfs_cwd(h->pid, cwd, sizeof cwd);
	sw_p_str(cwd, sizeof cwd);
	struct rlimit rl;
	sw_p_u64(getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024);
	sw_p_u64(0); sw_p_u64(0);               /* page faults */
	sw_p_u32(0); sw_p_u32(0); sw_p_u32(0);  /* vm size/rss/swap */
	sw_p_str(p->comm, sizeof p->comm);
	/* cgroups: /proc when the process is still there, else the two components from BPF */
	size_t cl = procfs_cgroups(h->pid, cg, sizeof cg);
	if (cl == 0 && p->cg_leaf[0]) {
		int w = snprintf(cg, sizeof cg, "memory=/%.64s%s%.96s", p->cg_parent, p->cg_parent[0] ? "/" : "", p->cg_leaf);
		cl = w > 0 ? (size_t)w + 1 : 0;
	}
	sw_p_bytes(cg, cl);
	if (with_env) {
		size_t el = procfs_environ(h->pid, env, sizeof env);
		sw_p_bytes(env, el);
	}
}

/* execve's flags parameter: PPM_EXE_WRITABLE (1 << 0), PPM_EXE_UPPER_LAYER (1 << 1),
 * PPM_EXE_FROM_MEMFD (1 << 2), PPM_EXE_LOWER_LAYER (1 << 3). */
static uint32_t exec_flags(const struct view *v)
{
	uint32_t f = 0;
	if (v->p->exe_layer == 1) f |= 1 << 1;
	if (v->p->exe_layer == 2) f |= 1 << 3;
	if (v->h->s1_len > 6 && !strncmp(v->s1, "memfd:", 6)) f |= 1 << 2;
	/* decided on the BPF side with the driver's rule (memfds included: their creator owns them) */
	if (v->p->exe_writable) f |= 1 << 0;
	return f;
}

static void convert_proc(const struct view *v, uint64_t ts, uint16_t cpu)
{
	const struct vigil_hdr *h = v->h;
	const struct vigil_proc *p = v->p;
	if (h->kind == VIGIL_REC_EXEC) {
		char exepath[512];
		sw_ev_begin(PPME_SYSCALL_EXECVE_19_X, ts, h->tid, cpu);
		sw_p_u64(0); /* res */
		process_params(v, NULL, 1);
		sw_p_u32(p->tty);
		sw_p_u64(p->vpid ? p->vpid : h->pid); /* vpgid (approximation: the process itself, in its namespace) */
		sw_p_u32(p->loginuid);
		sw_p_u32(exec_flags(v)); /* flags */
		sw_p_u64(p->cap_inh); sw_p_u64(p->cap_prm); sw_p_u64(p->cap_eff);
		sw_p_u64(p->exe_ino); sw_p_u64(p->exe_ctime); sw_p_u64(p->exe_mtime);
		sw_p_u32(p->uid);
		procfs_exe(h->pid, exepath, sizeof exepath);
		sw_p_str(exepath[0] ? exepath : v->s0, 512); /* trusted_exepath */
		sw_p_u64(h->pid);       /* pgid */
		sw_p_u32(p->gid);
		sw_p_str(v->s0, VIGIL_STR_MAX); /* filename */
	} else if (h->kind == VIGIL_REC_CLONE) {
		/* both sides with one layout: the child's (res 0) describes the child, the caller's (res = the
		 * child's id in the caller's pid namespace, or an error) describes the caller */
		uint16_t type = h->syscall == 57 ? PPME_SYSCALL_FORK_20_X : h->syscall == 58 ? PPME_SYSCALL_VFORK_20_X
			: h->syscall == 435 ? PPME_SYSCALL_CLONE3_X : PPME_SYSCALL_CLONE_20_X;
		sw_ev_begin(type, ts, h->tid, cpu);
		sw_p_u64(h->ret);
		if (h->ret < 0) {
			/* a failed call: exe and args empty, as the driver writes them */
			struct view nobuf = *v;
			nobuf.buf_len = 0;
			process_params(&nobuf, "", 0);
		} else {
			process_params(v, NULL, 0);
		}
		sw_p_u32(ppm_clone_flags(p->clone_flags) | (p->in_pidns ? PPM_CL_CHILD_IN_PIDNS : 0));
		sw_p_u32(p->uid);
		sw_p_u32(p->gid);
		/* vtid, vpid: the ids in the task's own pid namespace (1 for a container's init) */
		sw_p_u64(p->vtid ? p->vtid : h->tid);
		sw_p_u64(p->vpid ? p->vpid : h->pid);
	} else {
		/* a failed execve/execveat: the caller is unchanged; the file it asked for is s0 */
		sw_ev_begin(PPME_SYSCALL_EXECVE_19_X, ts, h->tid, cpu);
		sw_p_u64(h->ret);
		struct view nobuf = *v;
		nobuf.buf_len = 0;
		process_params(&nobuf, v->s0, 1);
		sw_p_u32(p->tty); sw_p_u64(h->pid); sw_p_u32(p->loginuid); sw_p_u32(0);
		sw_p_u64(p->cap_inh); sw_p_u64(p->cap_prm); sw_p_u64(p->cap_eff); sw_p_u64(0); sw_p_u64(0); sw_p_u64(0);
		sw_p_u32(p->uid); sw_p_str(v->s0, VIGIL_STR_MAX); sw_p_u64(h->pid); sw_p_u32(p->gid);
		sw_p_str(v->s0, VIGIL_STR_MAX);
	}
	sw_ev_end();
}

void convert_record(const void *rec, size_t size, uint64_t boot_ns, uint16_t cpu)
{
	struct view v;
	if (make_view(rec, size, &v) != 0) return;
	const struct vigil_hdr *h = v.h;
	uint64_t ts = h->ts + boot_ns;
	if (v.p) {
		convert_proc(&v, ts, cpu);
		return;
	}
	if (h->kind == VIGIL_REC_EXIT) {
		uint64_t code = h->args[0];
		sw_ev_begin(PPME_PROCEXIT_1_E, ts, h->tid, cpu);
		sw_p_u64(code);
		sw_p_u64(code >> 8);
		sw_p_u8(code & 0x7f);
		sw_p_u8((code & 0x80) != 0);
		sw_p_u64(0);
		sw_ev_end();
		return;
	}
	uint8_t tmp[192];
	size_t n;
	const __u64 *a = h->args;
	int64_t ret = h->ret;
	const char *s0 = v.s0, *s1 = v.s1;
	const size_t SM = VIGIL_STR_MAX;
	switch (h->syscall) {
	case 2:
		sw_ev_begin(PPME_SYSCALL_OPEN_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_str(s0, SM); sw_p_u32(ppm_open_flags(a[1]));
		sw_p_u32(a[2] & 07777); sw_p_u32(0); sw_p_u64(0);
		break;
	case 257: case 437:
		sw_ev_begin(h->syscall == 257 ? PPME_SYSCALL_OPENAT_2_X : PPME_SYSCALL_OPENAT2_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_str(s0, SM);
		if (h->syscall == 257) {
			sw_p_u32(ppm_open_flags(a[2])); sw_p_u32(a[3] & 07777);
		} else {
			/* openat2 passes flags, mode and resolve in a struct open_how (u64 each) */
			uint64_t how[3] = {0, 0, 0};
			memcpy(how, v.buf, v.buf_len < sizeof how ? v.buf_len : sizeof how);
			sw_p_u32(ppm_open_flags(how[0])); sw_p_u32(how[1] & 07777); sw_p_u32(ppm_resolve_flags(how[2]));
		}
		sw_p_u32(0); sw_p_u64(0);
		break;
	case 0: case 1: case 17: case 18: {
		static const uint16_t types[] = {PPME_SYSCALL_READ_X, PPME_SYSCALL_WRITE_X, PPME_SYSCALL_PREAD_X, PPME_SYSCALL_PWRITE_X};
		int i = h->syscall < 2 ? h->syscall : h->syscall - 15;
		sw_ev_begin(types[i], ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_bytes(v.buf, v.buf_len); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_u32((uint32_t)a[2]);
		if (h->syscall >= 17) sw_p_u64(a[3]);
		break;
	}
	case 44: case 46:
		/* sendto: the destination the caller gave (unconnected sockets) completes the tuple */
		sw_ev_begin(h->syscall == 44 ? PPME_SOCKET_SENDTO_X : PPME_SOCKET_SENDMSG_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_empty(); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_u32(h->syscall == 44 ? (uint32_t)a[2] : 0);
		n = tuple_param(v.k, v.buf, v.buf_len, 0, tmp);
		sw_p_bytes(tmp, n);
		break;
	case 3:
		sw_ev_begin(PPME_SYSCALL_CLOSE_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]);
		break;
	case 32:
		sw_ev_begin(PPME_SYSCALL_DUP_1_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]);
		break;
	case 33: case 292:
		sw_ev_begin(h->syscall == 33 ? PPME_SYSCALL_DUP2_X : PPME_SYSCALL_DUP3_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]); sw_p_u64(a[1]);
		if (h->syscall == 292) sw_p_u32((a[2] & 02000000) ? 1 : 0);
		break;
	case 41:
		/* readers of the sysdig 0.29 era take a socket's domain from the enter event: write it first */
		sw_ev_begin(PPME_SOCKET_SOCKET_E, ts - 1, h->tid, cpu);
		sw_p_u32(a[0]); sw_p_u32(a[1]); sw_p_u32(a[2]);
		sw_ev_end();
		sw_ev_begin(PPME_SOCKET_SOCKET_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u32(a[0]); sw_p_u32(a[1]); sw_p_u32(a[2]); sw_p_u32(0);
		break;
	case 42:
		/* and the fd a connect works on, too */
		sw_ev_begin(PPME_SOCKET_CONNECT_E, ts - 1, h->tid, cpu);
		sw_p_u64((int64_t)(int32_t)a[0]);
		n = sockaddr_param(v.buf, v.buf_len, tmp);
		sw_p_bytes(tmp, n);
		sw_ev_end();
		sw_ev_begin(PPME_SOCKET_CONNECT_X, ts, h->tid, cpu);
		sw_p_u64(ret);
		n = tuple_param(v.k, v.buf, v.buf_len, 0, tmp);
		sw_p_bytes(tmp, n);
		sw_p_u64(a[0]);
		n = sockaddr_param(v.buf, v.buf_len, tmp);
		sw_p_bytes(tmp, n);
		break;
	case 43: case 288:
		sw_ev_begin(h->syscall == 43 ? PPME_SOCKET_ACCEPT_5_X : PPME_SOCKET_ACCEPT4_6_X, ts, h->tid, cpu);
		sw_p_u64(ret);
		n = ret >= 0 ? tuple_param(v.k, v.buf, v.buf_len, 1, tmp) : 0;
		sw_p_bytes(tmp, n);
		sw_p_u8(0); sw_p_u32(0); sw_p_u32(0);
		if (h->syscall == 288) sw_p_u32((uint32_t)a[3]);
		break;
	case 49:
		sw_ev_begin(PPME_SOCKET_BIND_X, ts, h->tid, cpu);
		sw_p_u64(ret);
		n = sockaddr_param(v.buf, v.buf_len, tmp);
		sw_p_bytes(tmp, n);
		sw_p_u64(a[0]);
		break;
	case 50:
		sw_ev_begin(PPME_SOCKET_LISTEN_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]); sw_p_u32(a[1]);
		break;
	case 82: case 86:
		sw_ev_begin(h->syscall == 82 ? PPME_SYSCALL_RENAME_X : PPME_SYSCALL_LINK_2_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_str(s0, SM); sw_p_str(s1, SM);
		break;
	case 88:
		sw_ev_begin(PPME_SYSCALL_SYMLINK_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_str(s0, SM); sw_p_str(s1, SM);
		break;
	case 83:
		sw_ev_begin(PPME_SYSCALL_MKDIR_2_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_str(s0, SM); sw_p_u32(a[1]);
		break;
	case 84: case 87:
		sw_ev_begin(h->syscall == 84 ? PPME_SYSCALL_RMDIR_2_X : PPME_SYSCALL_UNLINK_2_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_str(s0, SM);
		break;
	case 90:
		sw_ev_begin(PPME_SYSCALL_CHMOD_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_str(s0, SM); sw_p_u32(a[1]);
		break;
	case 258:
		sw_ev_begin(PPME_SYSCALL_MKDIRAT_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_str(s0, SM); sw_p_u32(a[2]);
		break;
	case 263:
		sw_ev_begin(PPME_SYSCALL_UNLINKAT_2_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_str(s0, SM);
		sw_p_u32((a[2] & 0x200) ? 1 : 0); /* AT_REMOVEDIR -> PPM_AT_REMOVEDIR */
		break;
	case 264: case 316: case 265:
		sw_ev_begin(h->syscall == 264 ? PPME_SYSCALL_RENAMEAT_X : h->syscall == 316 ? PPME_SYSCALL_RENAMEAT2_X : PPME_SYSCALL_LINKAT_2_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u64((int64_t)(int32_t)a[0]); sw_p_str(s0, SM);
		sw_p_u64((int64_t)(int32_t)a[2]); sw_p_str(s1, SM);
		if (h->syscall != 264) sw_p_u32(a[4]);
		break;
	case 266:
		sw_ev_begin(PPME_SYSCALL_SYMLINKAT_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_str(s0, SM); sw_p_u64((int64_t)(int32_t)a[1]); sw_p_str(s1, SM);
		break;
	case 319:
		sw_ev_begin(PPME_SYSCALL_MEMFD_CREATE_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_str(s0, SM); sw_p_u32(a[1]);
		break;
	case 175:
		sw_ev_begin(PPME_SYSCALL_INIT_MODULE_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_empty(); sw_p_u64(a[1]); sw_p_str("", 1);
		break;
	case 313:
		sw_ev_begin(PPME_SYSCALL_FINIT_MODULE_X, ts, h->tid, cpu);
		sw_p_u64(ret); sw_p_u64(a[0]); sw_p_str("", 1); sw_p_u32(a[2]);
		break;
	default:
		sw_ev_begin(PPME_GENERIC_X, ts, h->tid, cpu);
		sw_p_u16(0); sw_p_u16((uint16_t)h->syscall);
		break;
	}
	sw_ev_end();
}
