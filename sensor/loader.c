/* vigil-sensor: loads the BPF program, chooses the syscalls to watch, and writes a scap stream
 * (section header, machine info, process list from /proc, then events) to a file or stdout.
 *   vigil-sensor [-w FILE|-] [-s SNAPLEN] [-S name,name,...] [-d SECONDS] [-b RINGBYTES] [-P SKIP_PID] [-q] [-X MODE]
 * -X is for bench/sensor.ts, to break the overhead down: `empty` attaches only a sys_exit program that
 * returns at once (the kernel's tracepoint cost), `filtered` the real programs with every syscall
 * switched off, `discard` the real programs with records consumed but not converted or written.
 * Drop counters go to stderr as `vigil-sensor: stats sent=N lost=N written=N lost_cpuK=N...` once a
 * second when they change, and once at exit. When the reader of the stream is slow, writes block,
 * the ring buffer fills and the BPF side counts what it cannot store: back-pressure ends in
 * counted drops, never in unbounded memory. Exit codes: 0 ok, 1 runtime failure, 2 usage, 3 cannot
 * load BPF (not root, no BTF, tracepoints missing). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/sysinfo.h>
#include <sys/mount.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "vigil.h"
#include "vigil.skel.h"
#include "scap-writer.h"
#include "syscalls.h"
#include "procfs.h"

static volatile sig_atomic_t stop;
static uint64_t boot_ns;
static int quiet;
static int discard; /* -X discard */

static void report_stats(struct vigil_bpf *skel, int final);

/* No SA_RESTART: a write blocked on a stalled reader returns EINTR so the loop sees `stop`. The alarm
 * is the last resort against a reader that never drains the pipe again: stopping never hangs. */
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
	alarm(5);
}

static void handle(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Stats once a second from their own thread: when the reader stalls, the main loop is blocked in a
 * write, and that is exactly when the drop counters matter. */
static void *stats_thread(void *arg)
{
	struct vigil_bpf *skel = arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals go to the main thread, to interrupt its writes */
	while (!stop) {
		sleep(1);
		if (!stop) report_stats(skel, 0);
	}
	return NULL;
}

static int libbpf_log(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	if (quiet || lvl == LIBBPF_DEBUG) return 0;
	return vfprintf(stderr, fmt, ap);
}

static int on_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (stop && sw_failed()) return -1; /* stopping with a reader that does not drain: leave the rest */
	if (discard) return 0;
	convert_record(data, size, boot_ns, (uint16_t)sched_getcpu());
	return 0;
}

static void report_stats(struct vigil_bpf *skel, int final)
{
	static uint64_t last_lost = (uint64_t)-1, last_sent;
	int ncpu = libbpf_num_possible_cpus();
	uint64_t sent = 0, lost = 0;
	if (ncpu > VIGIL_MAX_CPUS) ncpu = VIGIL_MAX_CPUS;
	char percpu[8192] = "";
	size_t pl = 0;
	/* the counters live in the program's .bss, mapped into this process by libbpf */
	for (int i = 0; i < ncpu; i++) {
		uint64_t l = __atomic_load_n(&skel->bss->counters[i].lost, __ATOMIC_RELAXED);
		sent += __atomic_load_n(&skel->bss->counters[i].sent, __ATOMIC_RELAXED);
		lost += l;
		if (pl < sizeof percpu - 32) pl += snprintf(percpu + pl, sizeof percpu - pl, " lost_cpu%d=%llu", i, (unsigned long long)l);
	}
	if (final || lost != last_lost || (sent != last_sent && !quiet)) {
		fprintf(stderr, "vigil-sensor: stats sent=%llu lost=%llu written=%llu%s\n", (unsigned long long)sent,
			(unsigned long long)lost, (unsigned long long)sw_events_written, percpu);
		last_lost = lost;
		last_sent = sent;
	}
}

int main(int argc, char **argv)
{
	const char *out_path = "-", *only = NULL, *mode = "";
	int snaplen = 80, duration = 0, opt;
	long ring = 0;
	int skip_pid = 0;
	while ((opt = getopt(argc, argv, "w:s:S:d:b:P:qX:")) != -1) {
		switch (opt) {
		case 'w': out_path = optarg; break;
		case 's': snaplen = atoi(optarg); break;
		case 'S': only = optarg; break;
		case 'd': duration = atoi(optarg); break;
		case 'b': ring = atol(optarg); break;
		case 'P': skip_pid = atoi(optarg); break;
		case 'q': quiet = 1; break;
		case 'X': mode = optarg; break;
		default:
			fprintf(stderr, "usage: vigil-sensor [-w FILE|-] [-s SNAPLEN] [-S syscall,...] [-d SECONDS] [-b RINGBYTES] [-P SKIP_PID] [-q] [-X empty|filtered|discard]\n");
			return 2;
		}
	}
	if (geteuid() != 0) {
		fprintf(stderr, "vigil-sensor: must run as root (CAP_BPF and CAP_PERFMON are needed to load the probe)\n");
		return 3;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		fprintf(stderr, "vigil-sensor: this kernel has no BTF (/sys/kernel/btf/vmlinux); CO-RE needs CONFIG_DEBUG_INFO_BTF=y\n");
		return 3;
	}
	/* Tracepoints are found through tracefs; mount it where a bare container or VM lacks it. */
	if (access("/sys/kernel/tracing/events", F_OK) != 0 && access("/sys/kernel/debug/tracing/events", F_OK) != 0 &&
	    mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) != 0) {
		fprintf(stderr, "vigil-sensor: tracefs is not mounted and cannot be mounted at /sys/kernel/tracing: %s\n", strerror(errno));
		return 3;
	}
	int empty = !strcmp(mode, "empty"), filtered = !strcmp(mode, "filtered");
	discard = !strcmp(mode, "discard");
	if (*mode && !empty && !filtered && !discard) {
		fprintf(stderr, "vigil-sensor: -X takes empty, filtered or discard, not %s\n", mode);
		return 2;
	}
	libbpf_set_print(libbpf_log);
	struct vigil_bpf *skel = vigil_bpf__open();
	if (!skel) { fprintf(stderr, "vigil-sensor: cannot open the BPF object\n"); return 3; }
	bpf_program__set_autoload(skel->progs.vigil_sys_exit_empty, empty);
	bpf_program__set_autoload(skel->progs.vigil_sys_exit, !empty);
	bpf_program__set_autoload(skel->progs.vigil_exec, !empty);
	bpf_program__set_autoload(skel->progs.vigil_exit, !empty);
	skel->rodata->skip_tgid = getpid();
	skel->rodata->skip_tgid2 = skip_pid;
	skel->rodata->snaplen = snaplen > 0 && snaplen < VIGIL_BUF_MAX ? snaplen : 80;
	if (ring) {
		/* a power of two, at least a page: what the kernel accepts for a BPF ring buffer */
		long pg = sysconf(_SC_PAGESIZE), sz = pg;
		while (sz < ring && sz < (1L << 30)) sz <<= 1;
		if (bpf_map__set_max_entries(skel->maps.events, sz)) {
			fprintf(stderr, "vigil-sensor: cannot size the ring buffer to %ld bytes\n", sz);
			return 2;
		}
		skel->rodata->wake_bytes = sz / 8 < (256 << 10) ? sz / 8 : (256 << 10);
	}
	if (vigil_bpf__load(skel)) {
		fprintf(stderr, "vigil-sensor: cannot load the BPF program (%s)\n", strerror(errno));
		return 3;
	}
	/* The watched syscalls: those the state needs, plus the requested ones (when none are named: all
	 * known except the high-volume I/O ones, which are captured only on request). */
	for (int i = 0; i < NSYSCALLS; i++) {
		const struct syscall_def *d = &SYSCALLS[i];
		int want = only ? d->state == 1 : d->state != 2;
		if (only && !want) {
			char list[4096];
			snprintf(list, sizeof list, ",%s,", only);
			char key[64];
			snprintf(key, sizeof key, ",%s,", d->name);
			want = strstr(list, key) != NULL;
		}
		if (want && !filtered && d->nr < VIGIL_MAX_SYSCALLS) skel->bss->specs[d->nr] = d->spec;
	}
	if (vigil_bpf__attach(skel)) {
		fprintf(stderr, "vigil-sensor: cannot attach to the tracepoints (raw_syscalls, sched): %s\n", strerror(errno));
		return 3;
	}
	FILE *out = strcmp(out_path, "-") == 0 ? stdout : fopen(out_path, "wb");
	if (!out) { fprintf(stderr, "vigil-sensor: cannot open %s: %s\n", out_path, strerror(errno)); return 1; }
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	sw_init(out);
	boot_ns = procfs_boot_time_ns();
	char host[128] = "";
	gethostname(host, sizeof host - 1);
	struct sysinfo si;
	sysinfo(&si);
	sw_section_header();
	sw_machine_info(libbpf_num_possible_cpus(), (uint64_t)si.totalram * si.mem_unit, 4194304, host, boot_ns);
	int nprocs = procfs_write_proclist();
	int nfds = procfs_write_fdlists();
	procfs_write_userlist();
	sw_flush();
	if (!quiet) fprintf(stderr, "vigil-sensor: attached; %d threads in the initial process list, %d fds\n", nprocs, nfds);

	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!rb) { fprintf(stderr, "vigil-sensor: cannot open the ring buffer\n"); return 1; }
	handle(SIGINT);
	handle(SIGTERM);
	handle(SIGPIPE);
	pthread_t stats;
	int have_stats = pthread_create(&stats, NULL, stats_thread, skel) == 0;
	time_t started = time(NULL);
	while (!stop) {
		/* records arrive without wake-ups (see send() in vigil.bpf.c): epoll only reports a backlog,
		 * so the ring is also drained on a short timer */
		int n = ring_buffer__poll(rb, 4);
		if (n < 0 && n != -EINTR) break;
		if (n >= 0 && !stop) n = ring_buffer__consume(rb);
		if (n < 0 && n != -EINTR) break;
		if (sw_flush() != 0) break; /* the reader went away */
		time_t now = time(NULL);
		if (duration > 0 && now - started >= duration) break;
	}
	stop = 1;
	if (have_stats) pthread_join(stats, NULL);
	/* what is still in the ring buffer is written when the reader keeps reading (the alarm bounds it) */
	if (!sw_failed()) {
		ring_buffer__consume(rb);
		sw_flush();
	}
	report_stats(skel, 1);
	ring_buffer__free(rb);
	vigil_bpf__destroy(skel);
	if (out != stdout) fclose(out);
	return 0;
}
