// SPDX-License-Identifier: GPL-2.0
/* Vigil's eBPF sensor: generic and small on purpose. Syscall exits carry their saved
 * arguments plus the user memory the loader asked for (per-syscall spec map); process
 * lifecycle comes from the sched tracepoints. The loader turns records into scap events.
 * Only tracepoints are used (no kprobes/fentry/LSM: not available everywhere). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "vigil.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 skip_tgid = 0;   /* the loader itself */
const volatile __u32 snaplen = 80;    /* data buffers are cut to this many bytes */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VIGIL_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, struct vigil_spec);
} specs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2); /* 0: events lost (ring buffer full), 1: events sent */
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct vigil_saved {
	__u64 args[6];
	__u32 id;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct vigil_saved);
} inflight SEC(".maps");

/* Kernels before 6.15 name the parent pointer `parent`. */
struct kernfs_node___old {
	struct kernfs_node *parent;
};

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);
	if (c)
		__sync_fetch_and_add(c, 1);
}

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/* The two last components of the task's cgroup path: enough to recognise a container
 * (`/k8s.io/<id>`, `/docker/<id>`, `.../cri-containerd-<id>.scope`). cgroup v2 first,
 * the memory controller of cgroup v1 when the unified hierarchy says nothing (hybrid). */
static __always_inline void fill_cgroup(struct vigil_rec *r, struct task_struct *task)
{
	struct kernfs_node *kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
	struct kernfs_node *parent = kn ? kn_parent(kn) : 0;
	if (!parent) {
		int mem = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
		struct cgroup_subsys_state *css;
		if (mem >= 0 && mem < 12) {
			css = BPF_CORE_READ(task, cgroups, subsys[mem]);
			if (css) {
				kn = BPF_CORE_READ(css, cgroup, kn);
				parent = kn ? kn_parent(kn) : 0;
			}
		}
	}
	if (!parent)
		return; /* the root cgroup: a host process */
	bpf_probe_read_kernel_str(r->cg_leaf, sizeof(r->cg_leaf), BPF_CORE_READ(kn, name));
	if (kn_parent(parent))
		bpf_probe_read_kernel_str(r->cg_parent, sizeof(r->cg_parent), BPF_CORE_READ(parent, name));
}

static __always_inline __u32 tty_of(struct task_struct *task)
{
	struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
	if (!tty)
		return 0;
	__u32 major = BPF_CORE_READ(tty, driver, major);
	__u32 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline struct vigil_rec *start(__u32 kind)
{
	struct vigil_rec *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count(0);
		return 0;
	}
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 ugid = bpf_get_current_uid_gid();
	r->ts = bpf_ktime_get_boot_ns();
	r->tid = (__u32)pid_tgid;
	r->pid = pid_tgid >> 32;
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->uid = (__u32)ugid;
	r->gid = ugid >> 32;
	r->loginuid = BPF_CORE_READ(task, loginuid.val);
	r->kind = kind;
	r->syscall = 0;
	r->ret = 0;
	r->s0_len = r->s1_len = r->buf_len = 0;
	r->exit_code = 0;
	r->tty = tty_of(task);
	r->s0[0] = r->s1[0] = 0;
	r->cg_leaf[0] = r->cg_parent[0] = 0;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	fill_cgroup(r, task);
	return r;
}

static __always_inline void send(struct vigil_rec *r)
{
	count(1);
	bpf_ringbuf_submit(r, 0);
}

/* The command line of the current process, from its mm (valid after exec and in a fork child). */
static __always_inline void read_cmdline(struct vigil_rec *r)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned long start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long end = BPF_CORE_READ(task, mm, arg_end);
	__u64 len = end > start ? end - start : 0;
	if (len > VIGIL_BUF_MAX - 1)
		len = VIGIL_BUF_MAX - 1;
	asm volatile("%0 &= 1023" : "+r"(len));
	if (len > 0 && bpf_probe_read_user(r->buf, len, (void *)start) == 0)
		r->buf_len = len;
}

SEC("tp/raw_syscalls/sys_enter")
int vigil_sys_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 id = (__u32)ctx->id;
	if (id >= VIGIL_MAX_SYSCALLS)
		return 0;
	struct vigil_spec *spec = bpf_map_lookup_elem(&specs, &id);
	if (!spec || !spec->enabled)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((pid_tgid >> 32) == skip_tgid)
		return 0;
	__u32 tid = (__u32)pid_tgid;
	struct vigil_saved s = {};
	s.id = id;
	/* constant offsets only: the verifier refuses ctx pointer arithmetic */
	s.args[0] = ctx->args[0];
	s.args[1] = ctx->args[1];
	s.args[2] = ctx->args[2];
	s.args[3] = ctx->args[3];
	s.args[4] = ctx->args[4];
	s.args[5] = ctx->args[5];
	bpf_map_update_elem(&inflight, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline void read_user_arg(struct vigil_rec *r, __u8 kind, __u64 arg, __u64 next, __s64 ret, int *strs)
{
	__u32 len;
	switch (kind) {
	case VIGIL_ARG_STR:
		if (*strs == 0) {
			long n = bpf_probe_read_user_str(r->s0, sizeof(r->s0), (void *)arg);
			r->s0_len = n > 0 ? n : 0;
		} else {
			long n = bpf_probe_read_user_str(r->s1, sizeof(r->s1), (void *)arg);
			r->s1_len = n > 0 ? n : 0;
		}
		(*strs)++;
		return;
	case VIGIL_ARG_SOCKADDR:
		len = next;
		break;
	case VIGIL_ARG_SOCKADDR_PTRLEN:
		len = 0;
		if (next)
			bpf_probe_read_user(&len, sizeof(len), (void *)next);
		break;
	case VIGIL_ARG_BUF_RET:
		len = ret > 0 ? ret : 0;
		if (len > snaplen)
			len = snaplen;
		break;
	case VIGIL_ARG_BUF_LEN:
		len = next;
		if (len > snaplen)
			len = snaplen;
		break;
	default:
		return;
	}
	if (len == 0 || !arg)
		return;
	__u64 n = len;
	/* an explicit mask the compiler cannot drop, so the verifier sees the bound */
	asm volatile("%0 &= 1023" : "+r"(n));
	if (n == 0)
		return;
	if (bpf_probe_read_user(r->buf, n, (void *)arg) == 0)
		r->buf_len = n;
}

SEC("tp/raw_syscalls/sys_exit")
int vigil_sys_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 id = (__u32)ctx->id;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	if ((pid_tgid >> 32) == skip_tgid)
		return 0;
	/* clone family, child side: a new thread or process starts here (no saved args). */
	if ((id == 56 || id == 57 || id == 58 || id == 435) && ctx->ret == 0) {
		struct vigil_spec *spec = bpf_map_lookup_elem(&specs, &id);
		if (!spec || !spec->enabled)
			return 0;
		struct vigil_rec *r = start(VIGIL_REC_CLONE);
		if (!r)
			return 0;
		r->syscall = id;
		read_cmdline(r);
		send(r);
		return 0;
	}
	struct vigil_saved *s = bpf_map_lookup_elem(&inflight, &tid);
	if (!s)
		return 0;
	if (s->id != id) {
		bpf_map_delete_elem(&inflight, &tid);
		return 0;
	}
	struct vigil_spec *spec = bpf_map_lookup_elem(&specs, &id);
	if (!spec) {
		bpf_map_delete_elem(&inflight, &tid);
		return 0;
	}
	struct vigil_rec *r = start(VIGIL_REC_SYSCALL);
	if (!r) {
		bpf_map_delete_elem(&inflight, &tid);
		return 0;
	}
	r->syscall = id;
	r->ret = ctx->ret;
	int strs = 0;
	for (int i = 0; i < 6; i++) {
		r->args[i] = s->args[i];
		__u8 kind = spec->kind[i];
		if (kind)
			read_user_arg(r, kind, s->args[i], i < 5 ? s->args[i + 1] : 0, ctx->ret, &strs);
	}
	bpf_map_delete_elem(&inflight, &tid);
	send(r);
	return 0;
}

SEC("tp/sched/sched_process_exec")
int vigil_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == skip_tgid)
		return 0;
	struct vigil_rec *r = start(VIGIL_REC_EXEC);
	if (!r)
		return 0;
	unsigned int off = ctx->__data_loc_filename & 0xFFFF;
	long n = bpf_probe_read_kernel_str(r->s0, sizeof(r->s0), (void *)ctx + off);
	r->s0_len = n > 0 ? n : 0;
	read_cmdline(r);
	/* the new image's file: its dentry name in s1 ("memfd:..." for fileless execution) and its
	 * inode mode in exit_code (unused by exec records), for execve's flags parameter */
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	if (exe) {
		const unsigned char *name = BPF_CORE_READ(exe, f_path.dentry, d_name.name);
		long m = bpf_probe_read_kernel_str(r->s1, sizeof(r->s1), name);
		r->s1_len = m > 0 ? m : 0;
		r->exit_code = BPF_CORE_READ(exe, f_inode, i_mode);
	}
	send(r);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int vigil_exit(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == skip_tgid)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct vigil_rec *r = start(VIGIL_REC_EXIT);
	if (!r)
		return 0;
	r->exit_code = BPF_CORE_READ(task, exit_code);
	send(r);
	return 0;
}
