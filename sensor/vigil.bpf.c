// SPDX-License-Identifier: GPL-2.0
/* Vigil's eBPF sensor. One program on syscall exit reads the arguments from the saved user
 * registers (like Falco's modern probe since it dropped enter events), so there is no enter
 * program and no per-thread map: a syscall nobody asked for costs one load and one test.
 * Process lifecycle comes from the sched tracepoints. Only tracepoints are used (tp_btf and
 * tp; no kprobes/fentry/LSM: not available everywhere). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "vigil.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 skip_tgid = 0;   /* the loader itself */
const volatile __u32 skip_tgid2 = 0;  /* the stream's consumer (its reads of the pipe would feed back) */
const volatile __u32 snaplen = 80;    /* data buffers are cut to this many bytes */
const volatile __u64 wake_bytes = 256 * 1024; /* backlog that wakes the reader early (the loader sets ring/8) */

/* Set by the loader before attaching; plain globals so the hot path reads them without a helper. */
struct vigil_spec specs[VIGIL_MAX_SYSCALLS];
struct vigil_counter counters[VIGIL_MAX_CPUS];

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* the loader may change it (-b) */
} events SEC(".maps");

/* Kernels before 6.11 keep inode times as timespec64 (ctime behind __i_ctime since 6.6). */
struct inode___old {
	struct timespec64 i_mtime;
	struct timespec64 __i_ctime;
};

/* Kernels before 6.15 name the parent pointer `parent`. */
struct kernfs_node___old {
	struct kernfs_node *parent;
};

static __always_inline int skipped(__u32 tgid)
{
	return tgid == skip_tgid || tgid == skip_tgid2;
}

static __always_inline struct vigil_counter *counter(void)
{
	return &counters[bpf_get_smp_processor_id() & (VIGIL_MAX_CPUS - 1)];
}

/* A record of `size` bytes, header filled; NULL (and a counted loss) when the ring buffer is full.
 * pid_tgid comes from the caller, which already read it (helper calls are dear here: each return goes
 * through the kernel's return thunk on CPUs with return-stack mitigations). */
static __always_inline void *reserve(__u64 size, __u16 kind, __u16 cls, __u64 pid_tgid)
{
	struct vigil_hdr *h = bpf_ringbuf_reserve(&events, size, 0);
	if (!h) {
		__sync_fetch_and_add(&counter()->lost, 1); /* exact: drops are what users alert on */
		return 0;
	}
	h->ts = bpf_ktime_get_boot_ns();
	h->tid = (__u32)pid_tgid;
	h->pid = pid_tgid >> 32;
	h->kind = kind;
	h->cls = cls;
	h->syscall = 0;
	h->s0_len = h->s1_len = h->buf_len = 0;
	h->ret = 0;
	h->size = size;
	return h;
}

/* Waking the reader costs an irq_work: a self-IPI (an APIC write, which is a VM exit in a guest) and
 * an interrupt, per wake. The reader polls every few milliseconds instead and is woken early once per
 * wake_bytes of records produced on a CPU (not on every record while a backlog stands: that was ~4% of
 * an open/close loop's time plus the interrupts). The count is per CPU, next to the sent counter, so
 * deciding costs no helper call (a ring-buffer query did). A reader that keeps up gets a spare wake
 * per wake_bytes; a race with preemption only moves a wake. */
static __always_inline void send(struct vigil_hdr *r)
{
	struct vigil_counter *c = counter();
	/* per CPU and on the hot path: plain adds (a preempted program could lose one count, which only
	 * blurs the delivered-events rate) */
	c->sent++;
	c->unwoken += r->size + 8; /* + the ring buffer's own record header */
	__u64 flags = BPF_RB_NO_WAKEUP;
	if (c->unwoken >= wake_bytes) {
		c->unwoken = 0;
		flags = BPF_RB_FORCE_WAKEUP;
	}
	bpf_ringbuf_submit(r, flags);
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
static __always_inline void fill_cgroup(struct vigil_proc *p, struct task_struct *task)
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
	bpf_probe_read_kernel_str(p->cg_leaf, sizeof(p->cg_leaf), BPF_CORE_READ(kn, name));
	if (kn_parent(parent))
		bpf_probe_read_kernel_str(p->cg_parent, sizeof(p->cg_parent), BPF_CORE_READ(parent, name));
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

/* The number of a struct pid in its deepest namespace: the id the task sees of itself (scap's vtid/vpid). */
static __always_inline __u32 ns_nr(struct pid *pid)
{
	if (!pid)
		return 0;
	unsigned int level = BPF_CORE_READ(pid, level);
	int nr = 0;
	bpf_core_read(&nr, sizeof(nr), &pid->numbers[level & 63].nr);
	return nr;
}

/* ctime and mtime of an inode in ns since the epoch, whichever layout this kernel has. */
static __always_inline void inode_times(struct inode *ino, __u64 *ctime, __u64 *mtime)
{
	if (bpf_core_field_exists(ino->i_ctime_sec)) {
		/* multigrain timestamps (6.13+) keep a "ctime was queried" flag in bit 31 of the nanoseconds */
		*ctime = BPF_CORE_READ(ino, i_ctime_sec) * 1000000000ull + (BPF_CORE_READ(ino, i_ctime_nsec) & 0x3fffffff);
		*mtime = BPF_CORE_READ(ino, i_mtime_sec) * 1000000000ull + (BPF_CORE_READ(ino, i_mtime_nsec) & 0x3fffffff);
		return;
	}
	struct inode___old *o = (void *)ino;
	if (bpf_core_field_exists(o->__i_ctime))
		*ctime = BPF_CORE_READ(o, __i_ctime.tv_sec) * 1000000000ull + BPF_CORE_READ(o, __i_ctime.tv_nsec);
	if (bpf_core_field_exists(o->i_mtime))
		*mtime = BPF_CORE_READ(o, i_mtime.tv_sec) * 1000000000ull + BPF_CORE_READ(o, i_mtime.tv_nsec);
}

/* Whether the id is mapped in a user namespace's map (the driver's bpf_map_id_up: the first five
 * extents only). Every id but -1 is mapped in the initial namespace. */
static __always_inline int id_mapped(struct uid_gid_map *map, __u32 id)
{
	__u32 n = BPF_CORE_READ(map, nr_extents);
	for (int j = 0; j < 5; j++) {
		if (j >= n)
			break;
		__u32 first = BPF_CORE_READ(map, extent[j].lower_first);
		__u32 count = BPF_CORE_READ(map, extent[j].count);
		if (id >= first && id <= first + count - 1)
			return 1;
	}
	return 0;
}

/* Whether gid is one of the task's supplementary groups (group_info is sorted: a bounded binary
 * search, as the driver's groups_search). */
static __always_inline int in_groups(const struct cred *cred, __u32 gid)
{
	struct group_info *gi = BPF_CORE_READ(cred, group_info);
	if (!gi)
		return 0;
	unsigned int left = 0, right = BPF_CORE_READ(gi, ngroups);
	for (int j = 0; j < 16; j++) { /* log2(NGROUPS_MAX) */
		if (left >= right)
			break;
		unsigned int mid = (left + right) / 2;
		__u32 g = 0;
		bpf_core_read(&g, sizeof(g), &gi->gid[mid & 0xffff].val);
		if (gid > g)
			left = mid + 1;
		else if (gid < g)
			right = mid;
		else
			return 1;
	}
	return 0;
}

/* scap's PPM_EXE_WRITABLE with the driver's rule (extract__exe_writable): not on a read-only
 * superblock (a read-only bind mount of a writable one does not count) nor for an immutable inode;
 * yes for the owner (fsuid); else the group bits when fsgid or a supplementary group owns it, the
 * other bits otherwise; then CAP_DAC_OVERRIDE (owner and group mapped in the task's user namespace)
 * or CAP_FOWNER (owner mapped). */
static __always_inline __u32 exe_writable(struct task_struct *task, struct inode *ino, __u64 cap_eff)
{
	__u32 mode = BPF_CORE_READ(ino, i_mode);
	__u32 fmt = mode & 0170000;
	if ((BPF_CORE_READ(ino, i_sb, s_flags) & 1 /* SB_RDONLY */) && (fmt == 0100000 || fmt == 0040000 || fmt == 0120000))
		return 0;
	if (BPF_CORE_READ(ino, i_flags) & 8 /* S_IMMUTABLE */)
		return 0;
	__u32 iuid = BPF_CORE_READ(ino, i_uid.val), igid = BPF_CORE_READ(ino, i_gid.val);
	if (iuid == (__u32)-1 || igid == (__u32)-1)
		return 0;
	const struct cred *cred = BPF_CORE_READ(task, cred);
	if (BPF_CORE_READ(cred, fsuid.val) == iuid)
		return 1;
	if (BPF_CORE_READ(cred, fsgid.val) == igid || in_groups(cred, igid))
		mode >>= 3;
	if (mode & 2 /* MAY_WRITE */)
		return 1;
	struct user_namespace *ns = BPF_CORE_READ(cred, user_ns);
	if (!ns)
		return 0;
	int uid_mapped = id_mapped(&ns->uid_map, iuid);
	if ((cap_eff & (1ull << 1)) && uid_mapped && id_mapped(&ns->gid_map, igid)) /* CAP_DAC_OVERRIDE */
		return 1;
	return (cap_eff & (1ull << 3)) && uid_mapped; /* CAP_FOWNER */
}

/* A process record: header + who the process is (exec, the clone family and failed execs need it). */
static __always_inline struct vigil_hdr *start_proc(__u16 kind, __u64 pid_tgid)
{
	struct vigil_hdr *h = reserve(sizeof(struct vigil_hdr) + sizeof(struct vigil_proc), kind, VIGIL_CLS_PROC, pid_tgid);
	if (!h)
		return 0;
	struct vigil_proc *p = (void *)(h + 1);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	p->ppid = BPF_CORE_READ(task, real_parent, tgid);
	p->loginuid = BPF_CORE_READ(task, loginuid.val);
	p->tty = tty_of(task);
	p->exe_mode = 0;
	p->exe_layer = 0;
	p->exe_ino = 0;
	p->exe_ctime = p->exe_mtime = 0;
	p->exe_writable = 0;
	p->clone_flags = 0;
	p->in_pidns = 0;
	p->vtid = ns_nr(BPF_CORE_READ(task, thread_pid));
	p->vpid = ns_nr(BPF_CORE_READ(task, group_leader, thread_pid));
	/* kernel_cap_t is one u64 (6.3+) or two u32 words (before): the same 8 little-endian bytes */
	const struct cred *cred = BPF_CORE_READ(task, cred);
	/* the effective ids: what scap's clone and execve events carry as uid/gid (user.uid is the euid) */
	p->uid = BPF_CORE_READ(cred, euid.val);
	p->gid = BPF_CORE_READ(cred, egid.val);
	p->cap_inh = p->cap_prm = p->cap_eff = 0;
	bpf_probe_read_kernel(&p->cap_inh, 8, &cred->cap_inheritable);
	bpf_probe_read_kernel(&p->cap_prm, 8, &cred->cap_permitted);
	bpf_probe_read_kernel(&p->cap_eff, 8, &cred->cap_effective);
	p->s0[0] = p->s1[0] = 0;
	p->cg_leaf[0] = p->cg_parent[0] = 0;
	bpf_get_current_comm(p->comm, sizeof(p->comm));
	fill_cgroup(p, task);
	return h;
}

/* The command line of the current process, from its mm (valid after exec and in a fork child). */
static __always_inline void read_cmdline(struct vigil_hdr *h, struct vigil_proc *p)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned long start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long end = BPF_CORE_READ(task, mm, arg_end);
	__u64 len = end > start ? end - start : 0;
	if (len > VIGIL_BUF_MAX - 1)
		len = VIGIL_BUF_MAX - 1;
	asm volatile("%0 &= 1023" : "+r"(len));
	if (len > 0 && bpf_probe_read_user(p->buf, len, (void *)start) == 0)
		h->buf_len = len;
}

static __always_inline __u64 arg_of(struct pt_regs *regs, int i)
{
	switch (i) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	default: return regs->r9;
	}
}

static __always_inline __u16 read_str(char *dst, __u64 uptr)
{
	long n = bpf_probe_read_user_str(dst, VIGIL_STR_MAX, (void *)uptr);
	if (n <= 0) {
		dst[0] = 0;
		return 0;
	}
	return n;
}

/* The kernel socket behind fd of the current task: local and remote ends as the kernel has them. */
static __always_inline void read_socket(struct vigil_sock *k, __s64 fd)
{
	k->family = 0;
	if (fd < 0)
		return;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (!fdt || (__u64)fd >= BPF_CORE_READ(fdt, max_fds))
		return;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = 0;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	if (!f)
		return;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	if (!sock)
		return;
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return;
	__u16 fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (fam == 2) {
		bpf_core_read(k->laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(k->raddr, 4, &sk->__sk_common.skc_daddr);
	} else if (fam == 10) {
		bpf_core_read(k->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(k->raddr, 16, &sk->__sk_common.skc_v6_daddr);
	} else if (fam == 1) {
		k->sk = (__u64)sk;
		k->peer = (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer);
	} else {
		return;
	}
	k->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	k->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	k->family = fam;
}

static __always_inline __u32 user_len(__u8 how, __u64 next, __s64 ret)
{
	__u32 len = 0;
	if (how == 1)
		len = next;
	else if (how == 2 && next)
		bpf_probe_read_user(&len, sizeof(len), (void *)next);
	else if (how == 3)
		len = ret > 0 ? ret : 0;
	return len;
}

static __always_inline void fill_args(struct vigil_hdr *h, struct pt_regs *regs, __u32 id, long ret)
{
	h->syscall = id;
	h->ret = ret;
	h->args[0] = regs->di;
	h->args[1] = regs->si;
	h->args[2] = regs->dx;
	h->args[3] = regs->r10;
	h->args[4] = regs->r8;
	h->args[5] = regs->r9;
}

/* A syscall record of `size` bytes (class `cls`) with its header and arguments filled. */
static __always_inline struct vigil_hdr *start_syscall(__u64 size, __u16 cls, struct pt_regs *regs, __u32 id, long ret, __u64 pid_tgid)
{
	struct vigil_hdr *h = reserve(size, VIGIL_REC_SYSCALL, cls, pid_tgid);
	if (h)
		fill_args(h, regs, id, ret);
	return h;
}

/* The user sockaddr argument (connect, accept, sendto, bind...) into k->sa, its length per spec. */
static __always_inline void read_sockaddr(struct vigil_hdr *h, struct vigil_sock *k, struct pt_regs *regs, struct vigil_spec *spec, long ret)
{
	int i = (spec->sock - 1) & 7;
	__u32 len = user_len(spec->sock_len, i < 5 ? arg_of(regs, i + 1) : 0, ret);
	__u64 n = len > VIGIL_SA_MAX ? VIGIL_SA_MAX : len;
	asm volatile("%0 &= 127" : "+r"(n));
	if (n > VIGIL_SA_MAX)
		n = VIGIL_SA_MAX;
	__u64 uptr = arg_of(regs, i);
	if (n > 0 && uptr && bpf_probe_read_user(k->sa, n, (void *)uptr) == 0)
		h->buf_len = n;
}

/* The data buffer argument (read, write...), cut to snaplen. */
static __always_inline void read_data(struct vigil_hdr *h, char *dst, struct pt_regs *regs, struct vigil_spec *spec, long ret)
{
	int i = (spec->buf - 1) & 7;
	__u32 len = user_len(spec->buf_len == 2 ? 3 : 1, i < 5 ? arg_of(regs, i + 1) : 0, ret);
	if (len > snaplen)
		len = snaplen;
	__u64 n = len;
	asm volatile("%0 &= 1023" : "+r"(n));
	__u64 uptr = arg_of(regs, i);
	if (n > 0 && uptr && bpf_probe_read_user(dst, n, (void *)uptr) == 0)
		h->buf_len = n;
}

/* The kernel CLONE_* flags of a clone-family call: clone passes them in its first argument (the same
 * register in the child), clone3 in the first field of the struct clone_args it points to, fork and
 * vfork have none (the driver reports 0 for them too). clone3's struct usually sits on the caller's
 * stack, which a new thread shares and the caller has reused by the time the child runs: the child
 * takes what the kernel shows instead (the driver's sched_process_fork rule): a thread has
 * THREAD|SIGHAND|VM, and FILES when it shares the creator's fd table. */
static __always_inline __u64 clone_flags_of(struct pt_regs *regs, __u32 id, long ret, __u64 pid_tgid)
{
	if (id == 56)
		return regs->di;
	if (id != 435)
		return 0;
	__u64 flags = 0;
	if (ret != 0) {
		bpf_probe_read_user(&flags, sizeof(flags), (void *)regs->di);
		return flags;
	}
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	int thread = (__u32)pid_tgid != pid_tgid >> 32;
	if (thread)
		flags = 0x10000 | 0x800 | 0x100; /* CLONE_THREAD | CLONE_SIGHAND | CLONE_VM */
	struct files_struct *mine = BPF_CORE_READ(task, files);
	struct files_struct *creator = thread ? BPF_CORE_READ(task, group_leader, files) : BPF_CORE_READ(task, real_parent, files);
	if (mine && mine == creator)
		flags |= 0x400; /* CLONE_FILES */
	return flags;
}

/* scap's PPM_CL_CHILD_IN_PIDNS as the driver computes it on the task returning from clone: the task
 * lives below the initial pid namespace, or (meaningful in the caller) its children will. */
static __always_inline __u32 in_pidns(struct task_struct *task)
{
	if (BPF_CORE_READ(task, thread_pid, level) != 0)
		return 1;
	struct pid_namespace *children = BPF_CORE_READ(task, nsproxy, pid_ns_for_children);
	return children && BPF_CORE_READ(children, level) != 0;
}

/* Both sides of the clone family, as scap has them: the child returning 0 and the caller returning
 * the child's id (in the caller's pid namespace) or an error. Each event describes the task it is
 * written for; the command line is left out of a failed call, as the driver does. */
static __always_inline int on_clone(struct pt_regs *regs, __u32 id, long ret, __u64 pid_tgid)
{
	struct vigil_hdr *h = start_proc(VIGIL_REC_CLONE, pid_tgid);
	if (!h)
		return 0;
	struct vigil_proc *p = (void *)(h + 1);
	fill_args(h, regs, id, ret);
	p->clone_flags = clone_flags_of(regs, id, ret, pid_tgid);
	p->in_pidns = in_pidns((struct task_struct *)bpf_get_current_task());
	if (ret >= 0)
		read_cmdline(h, p);
	send(h);
	return 0;
}

/* A failed execve/execveat (a successful one is written from sched_process_exec). */
static __always_inline int on_exec_failed(struct pt_regs *regs, __u32 id, long ret, struct vigil_spec *spec, __u64 pid_tgid)
{
	struct vigil_hdr *h = start_proc(VIGIL_REC_SYSCALL, pid_tgid);
	if (!h)
		return 0;
	struct vigil_proc *p = (void *)(h + 1);
	fill_args(h, regs, id, ret);
	if (spec->str0)
		h->s0_len = read_str(p->s0, arg_of(regs, (spec->str0 - 1) & 7));
	send(h);
	return 0;
}

/* Bench only (loader -X empty, not loaded otherwise): returns at once, so a run with it attached
 * measures what the kernel's syscall-tracepoint slow path costs by itself. */
SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit_empty, struct pt_regs *regs, long ret)
{
	return 0;
}

/* Every syscall exit: one load and one test for a syscall nobody asked for; otherwise one record
 * whose class (and so its size) the syscall's spec decides. */
SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit, struct pt_regs *regs, long ret)
{
	__u32 id = (__u32)regs->orig_ax;
	if (id >= VIGIL_MAX_SYSCALLS)
		return 0;
	struct vigil_spec *spec = &specs[id & (VIGIL_MAX_SYSCALLS - 1)];
	if (!spec->enabled)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (skipped(pid_tgid >> 32))
		return 0;
	/* clone family: the child's side and the caller's (libsinsp takes the child from either) */
	if (id == 56 || id == 57 || id == 58 || id == 435)
		return on_clone(regs, id, ret, pid_tgid);
	if (id == 59 || id == 322)
		return ret < 0 ? on_exec_failed(regs, id, ret, spec, pid_tgid) : 0;
	struct vigil_hdr *h;
	if (spec->tuple || spec->sock) {
		/* connect/accept: the kernel socket's two ends and the user sockaddr; bind and the like: the sockaddr */
		h = start_syscall(sizeof(struct vigil_hdr) + sizeof(struct vigil_sock), VIGIL_CLS_SOCK, regs, id, ret, pid_tgid);
		if (!h)
			return 0;
		struct vigil_sock *k = (void *)(h + 1);
		k->family = 0;
		if (spec->tuple)
			read_socket(k, spec->tuple == 1 ? (__s64)(int)h->args[0] : ret);
		if (spec->sock)
			read_sockaddr(h, k, regs, spec, ret);
	} else if (spec->buf) {
		h = start_syscall(sizeof(struct vigil_hdr) + sizeof(struct vigil_strbuf), VIGIL_CLS_BUF, regs, id, ret, pid_tgid);
		if (!h)
			return 0;
		struct vigil_strbuf *b = (void *)(h + 1);
		b->s0[0] = 0;
		if (spec->str0)
			h->s0_len = read_str(b->s0, arg_of(regs, (spec->str0 - 1) & 7));
		read_data(h, b->buf, regs, spec, ret);
	} else if (spec->str0 && spec->str1) {
		h = start_syscall(sizeof(struct vigil_hdr) + sizeof(struct vigil_str), VIGIL_CLS_STR, regs, id, ret, pid_tgid);
		if (!h)
			return 0;
		struct vigil_str *st = (void *)(h + 1);
		h->s0_len = read_str(st->s0, arg_of(regs, (spec->str0 - 1) & 7));
		h->s1_len = read_str(st->s1, arg_of(regs, (spec->str1 - 1) & 7));
	} else if (spec->str0) {
		/* one string: reserve only its half of struct vigil_str */
		h = start_syscall(sizeof(struct vigil_hdr) + VIGIL_STR_MAX, VIGIL_CLS_STR, regs, id, ret, pid_tgid);
		if (!h)
			return 0;
		h->s0_len = read_str((char *)(h + 1), arg_of(regs, (spec->str0 - 1) & 7));
	} else {
		h = start_syscall(sizeof(struct vigil_hdr), VIGIL_CLS_NONE, regs, id, ret, pid_tgid);
		if (!h)
			return 0;
	}
	send(h);
	return 0;
}

SEC("tp/sched/sched_process_exec")
int vigil_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (skipped(pid_tgid >> 32))
		return 0;
	struct vigil_hdr *h = start_proc(VIGIL_REC_EXEC, pid_tgid);
	if (!h)
		return 0;
	struct vigil_proc *p = (void *)(h + 1);
	unsigned int off = ctx->__data_loc_filename & 0xFFFF;
	long n = bpf_probe_read_kernel_str(p->s0, sizeof(p->s0), (void *)ctx + off);
	h->s0_len = n > 0 ? n : 0;
	read_cmdline(h, p);
	/* the new image's file: its dentry name in s1 ("memfd:..." for fileless execution) and its
	 * inode mode, for execve's flags parameter */
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	if (exe) {
		const unsigned char *name = BPF_CORE_READ(exe, f_path.dentry, d_name.name);
		long m = bpf_probe_read_kernel_str(p->s1, sizeof(p->s1), name);
		h->s1_len = m > 0 ? m : 0;
		struct inode *ino = BPF_CORE_READ(exe, f_inode);
		p->exe_mode = BPF_CORE_READ(ino, i_mode);
		p->exe_ino = BPF_CORE_READ(ino, i_ino);
		p->exe_writable = exe_writable(task, ino, p->cap_eff);
		inode_times(ino, &p->exe_ctime, &p->exe_mtime);
		/* overlayfs (containers): an image with an upper dentry was written or copied up in the container */
		if (BPF_CORE_READ(ino, i_sb, s_magic) == 0x794c7630) {
			struct ovl_inode *ovl = container_of(ino, struct ovl_inode, vfs_inode);
			p->exe_layer = BPF_CORE_READ(ovl, __upperdentry) ? 1 : 2;
		}
	}
	send(h);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int vigil_exit(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (skipped(pid_tgid >> 32))
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct vigil_hdr *h = reserve(sizeof(struct vigil_hdr), VIGIL_REC_EXIT, VIGIL_CLS_NONE, pid_tgid);
	if (!h)
		return 0;
	h->args[0] = BPF_CORE_READ(task, exit_code);
	send(h);
	return 0;
}
