/* /proc readers for the sensor's self-contained captures. */
#define _GNU_SOURCE
#include "procfs.h"
#include "scap-writer.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

static size_t read_file(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f) return 0;
	size_t got = fread(out, 1, n, f);
	fclose(f);
	return got;
}

void procfs_cwd(uint32_t pid, char *out, size_t n)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%u/cwd", pid);
	ssize_t r = readlink(p, out, n - 1);
	out[r > 0 ? r : 0] = 0;
}

void procfs_exe(uint32_t pid, char *out, size_t n)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%u/exe", pid);
	ssize_t r = readlink(p, out, n - 1);
	out[r > 0 ? r : 0] = 0;
	/* a replaced binary reads as "/path (deleted)"; keep the path */
	char *d = strstr(out, " (deleted)");
	if (d) *d = 0;
}

/* "4:memory:/a/b" lines become "memory=/a/b\0" entries; the unified "0::/x" becomes "cgroup2=/x"? scap
 * uses controller names, so the v2 line is written with each enabled v2 controller name absent:
 * libsinsp reads any entry, so "name=path" of the v2 line uses the key "0". */
size_t procfs_cgroups(uint32_t pid, char *out, size_t n)
{
	char p[64], raw[8192];
	snprintf(p, sizeof p, "/proc/%u/cgroup", pid);
	size_t got = read_file(p, raw, sizeof raw - 1);
	raw[got] = 0;
	size_t len = 0;
	for (char *line = strtok(raw, "\n"); line; line = strtok(NULL, "\n")) {
		char *c1 = strchr(line, ':');
		if (!c1) continue;
		char *c2 = strchr(c1 + 1, ':');
		if (!c2) continue;
		*c2 = 0;
		const char *subsys = c1[1] ? c1 + 1 : "cgroup2";
		if (strncmp(subsys, "name=", 5) == 0) subsys += 5;
		int w = snprintf(out + len, n - len, "%s=%s", subsys, c2 + 1);
		if (w < 0 || (size_t)w + 1 >= n - len) break;
		len += w + 1;
	}
	return len;
}

size_t procfs_environ(uint32_t pid, char *out, size_t n)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%u/environ", pid);
	return read_file(p, out, n);
}

uint64_t procfs_boot_time_ns(void)
{
	struct timespec real, boot;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (uint64_t)(real.tv_sec - boot.tv_sec) * 1000000000ull + real.tv_nsec - boot.tv_nsec;
}

/* The processes written to the process list: fd lists are written for these only (a reader refuses
 * an fd list for a thread it does not know, and processes come and go between the two scans). */
static uint32_t *listed;
static size_t nlisted, caplisted;

static void note_listed(uint32_t pid)
{
	if (nlisted == caplisted) {
		size_t c = caplisted ? caplisted * 2 : 1024;
		uint32_t *n = realloc(listed, c * sizeof *n);
		if (!n) return;
		listed = n;
		caplisted = c;
	}
	listed[nlisted++] = pid;
}

size_t procfs_listed_pids(const uint32_t **pids)
{
	*pids = listed;
	return nlisted;
}

/* The last number on a /proc status line such as "NSpid:\t4242\t1" (the innermost namespace's). */
static unsigned last_number(const char *s, unsigned fallback)
{
	unsigned v = fallback, n;
	int used;
	while (*s && *s != '\n' && sscanf(s, "%u%n", &n, &used) == 1) {
		v = n;
		s += used;
	}
	return v;
}

static void add_thread(uint32_t pid, uint32_t tid)
{
	char p[96], stat[1024], comm[64] = "", exe[512], cwd[512], args[4096], cg[4096], env[1];
	struct sw_proc e = {0};
	snprintf(p, sizeof p, "/proc/%u/task/%u/stat", pid, tid);
	size_t got = read_file(p, stat, sizeof stat - 1);
	if (!got) return;
	stat[got] = 0;
	char *lp = strchr(stat, '('), *rp = strrchr(stat, ')');
	if (!lp || !rp) return;
	size_t cl = rp - lp - 1 < sizeof comm - 1 ? rp - lp - 1 : sizeof comm - 1;
	memcpy(comm, lp + 1, cl);
	comm[cl] = 0;
	char state;
	unsigned ppid = 0, pgid = 0, sid = 0, tty = 0;
	sscanf(rp + 2, "%c %u %u %u %u", &state, &ppid, &pgid, &sid, &tty);
	procfs_exe(pid, exe, sizeof exe);
	procfs_cwd(pid, cwd, sizeof cwd);
	snprintf(p, sizeof p, "/proc/%u/cmdline", pid);
	size_t alen = read_file(p, args, sizeof args);
	/* scap's exe is argv[0]; the args that follow are the rest */
	size_t a0 = strnlen(args, alen);
	char exe0[512];
	snprintf(exe0, sizeof exe0, "%.*s", (int)a0, args);
	size_t clen = procfs_cgroups(pid, cg, sizeof cg);
	/* the thread's own status: its NSpid/NStgid lines end with its ids in its own pid namespace */
	snprintf(p, sizeof p, "/proc/%u/task/%u/status", pid, tid);
	char status[4096];
	got = read_file(p, status, sizeof status - 1);
	status[got] = 0;
	unsigned uid = 0, gid = 0, vmsize = 0, vmrss = 0;
	char *s;
	if ((s = strstr(status, "\nUid:"))) sscanf(s + 5, "%*u %u", &uid);
	if ((s = strstr(status, "\nGid:"))) sscanf(s + 5, "%*u %u", &gid);
	if ((s = strstr(status, "\nVmSize:"))) sscanf(s + 8, "%u", &vmsize);
	if ((s = strstr(status, "\nVmRSS:"))) sscanf(s + 7, "%u", &vmrss);
	unsigned long long ci = 0, cp = 0, ce = 0;
	if ((s = strstr(status, "\nCapInh:"))) sscanf(s + 8, "%llx", &ci);
	if ((s = strstr(status, "\nCapPrm:"))) sscanf(s + 8, "%llx", &cp);
	if ((s = strstr(status, "\nCapEff:"))) sscanf(s + 8, "%llx", &ce);
	unsigned vtid = tid, vpid = pid;
	if ((s = strstr(status, "\nNStgid:"))) vpid = last_number(s + 8, pid);
	if ((s = strstr(status, "\nNSpid:"))) vtid = last_number(s + 7, tid);
	char lu[32] = "";
	snprintf(p, sizeof p, "/proc/%u/loginuid", pid);
	read_file(p, lu, sizeof lu - 1);
	e.tid = tid; e.pid = pid; e.ptid = ppid; e.sid = sid; e.pgid = pgid;
	e.vtid = vtid; e.vpid = vpid;
	e.comm = comm;
	e.exe = a0 ? exe0 : comm;
	e.exepath = exe;
	e.args = a0 < alen ? args + a0 + 1 : "";
	e.args_len = a0 < alen ? alen - a0 - 1 : 0;
	e.cwd = cwd;
	e.env = env; e.env_len = 0;
	e.cgroups = cg; e.cgroups_len = clen;
	struct rlimit rl;
	e.fdlimit = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
	e.uid = uid; e.gid = gid; e.vmsize_kb = vmsize; e.vmrss_kb = vmrss;
	e.loginuid = lu[0] ? (uint32_t)strtoul(lu, NULL, 10) : 0xffffffffu;
	e.tty = tty;
	e.cap_inh = ci; e.cap_prm = cp; e.cap_eff = ce;
	sw_proclist_add(&e);
	if (tid == pid) note_listed(pid);
}

int procfs_write_proclist(void)
{
	int n = 0;
	DIR *d = opendir("/proc");
	if (!d) return 0;
	nlisted = 0;
	sw_proclist_begin();
	struct dirent *de;
	while ((de = readdir(d))) {
		uint32_t pid = strtoul(de->d_name, NULL, 10);
		if (!pid) continue;
		char p[64];
		snprintf(p, sizeof p, "/proc/%u/task", pid);
		DIR *t = opendir(p);
		if (!t) continue;
		struct dirent *te;
		while ((te = readdir(t))) {
			uint32_t tid = strtoul(te->d_name, NULL, 10);
			if (!tid) continue;
			add_thread(pid, tid);
			n++;
		}
		closedir(t);
	}
	closedir(d);
	sw_proclist_end();
	return n;
}

void procfs_write_userlist(void)
{
	char line[1024];
	sw_userlist_begin();
	FILE *f = fopen("/etc/passwd", "r");
	while (f && fgets(line, sizeof line, f)) {
		/* name:x:uid:gid:gecos:home:shell */
		char *fld[7] = {0};
		int n = 0;
		char *p = line;
		line[strcspn(line, "\n")] = 0;
		while (n < 7 && p) { fld[n++] = p; p = strchr(p, ':'); if (p) *p++ = 0; }
		if (n == 7) sw_userlist_user(strtoul(fld[2], NULL, 10), strtoul(fld[3], NULL, 10), fld[0], fld[5], fld[6]);
	}
	if (f) fclose(f);
	f = fopen("/etc/group", "r");
	while (f && fgets(line, sizeof line, f)) {
		char *name = line, *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2) continue;
		*c1 = 0;
		sw_userlist_group(strtoul(c2 + 1, NULL, 10), name);
	}
	if (f) fclose(f);
	sw_userlist_end();
}
