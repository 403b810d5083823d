/*
 * Test helper for test/sensor/evtgen.test.ts: performs one event-generator scenario case for
 * real so the live sensor sees it. The case is a chain of processes (each exec'd under the
 * name, path, user and arguments the scenario asks for) and, in the last one, a list of
 * syscalls. The spec comes from the file named by $VIGIL_EG_SPEC, one line per item, fields
 * separated by tabs:
 *   proc <path> <user or -> <argv0> [args...]   a process of the chain, in order
 *   sleep <seconds>                             the last process waits before its steps
 *   step <syscall> [args...]                    a syscall the last process performs
 *   copy <path>                                 --launch first copies the helper to <path>
 *                                               (inside a container: a new file in its
 *                                               writable layer) before the chain starts
 * A user written "name+caps" keeps the capabilities of the caller across the switch and the
 * exec (ambient set): a non-root process of a privileged container, as scenarios assume.
 * $VIGIL_EG_LEVEL is the index of the current process in the chain (0 for the first).
 * With $VIGIL_EG_PIDFILE set, the first process writes its pid there as the host sees it: read
 * from the host's procfs at $VIGIL_EG_HOSTPROC (bind-mounted into a container), else getpid().
 * `evtgen-helper --launch SPEC PIDFILE HOSTPROC` sets those variables itself and becomes the
 * first process of the chain (for runners that cannot pass an environment, like `ctr task exec`).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXL 32
#define MAXF 16

static char lines[MAXL][1024];
static char *fields[MAXL][MAXF];
static int nf[MAXL], nl;

static void load(const char *path) {
	FILE *f = fopen(path, "r");
	if (!f) { perror("spec"); exit(90); }
	while (nl < MAXL && fgets(lines[nl], sizeof lines[nl], f)) {
		lines[nl][strcspn(lines[nl], "\n")] = 0;
		char *save = NULL;
		for (char *t = strtok_r(lines[nl], "\t", &save); t && nf[nl] < MAXF - 1; t = strtok_r(NULL, "\t", &save))
			fields[nl][nf[nl]++] = t;
		fields[nl][nf[nl]] = NULL;
		if (nf[nl]) nl++;
	}
	fclose(f);
}

static int flagval(const char *s) {
	static const struct { const char *n; int v; } names[] = {
		{"O_RDONLY", O_RDONLY}, {"O_WRONLY", O_WRONLY}, {"O_RDWR", O_RDWR}, {"O_CREAT", O_CREAT},
		{"O_TRUNC", O_TRUNC}, {"O_APPEND", O_APPEND}, {"O_CLOEXEC", O_CLOEXEC},
	};
	int v = 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		int found = 0;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (!strcmp(t, names[i].n)) { v |= names[i].v; found = 1; }
		if (!found) v |= (int)strtol(t, NULL, 0);
	}
	return v;
}

/* Raises every permitted capability into the inheritable and ambient sets, so it survives an
 * exec by a non-root user. */
static void keep_caps_across_exec(void) {
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d)) { perror("capget"); _exit(98); }
	for (int i = 0; i < 2; i++) d[i].inheritable = d[i].effective = d[i].permitted;
	if (syscall(SYS_capset, &h, d)) { perror("capset"); _exit(98); }
	for (int c = 0; c < 64; c++)
		if (d[c / 32].permitted & (1u << (c % 32))) prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0);
}

static void become(const char *spec) {
	if (!spec || !strcmp(spec, "-")) return;
	char user[64];
	snprintf(user, sizeof user, "%s", spec);
	char *plus = strstr(user, "+caps");
	if (plus) *plus = 0;
	struct passwd *pw = getpwnam(user);
	if (!pw) { fprintf(stderr, "evtgen-helper: no user %s\n", user); _exit(91); }
	if (plus && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)) { perror("keepcaps"); _exit(92); }
	if (setgroups(0, NULL) || setgid(pw->pw_gid) || setuid(pw->pw_uid)) { perror("setuid"); _exit(92); }
	if (plus) keep_caps_across_exec();
}

/* Copies this executable to `path` (mode 0755), creating a new file. */
static void copy_self(const char *path) {
	int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0) { perror("copy"); _exit(99); }
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, n) != n) _exit(99);
	close(in);
	fchmod(out, 0755);
	close(out);
}

/* A connected TCP client fd for "ip:port" (IPv4 or [IPv6]): loopback addresses get a local
 * listener; others are connected non-blocking (EINPROGRESS is what the rules see). */
static int client(const char *addr) {
	char host[128];
	snprintf(host, sizeof host, "%s", addr);
	char *colon = strrchr(host, ':');
	if (!colon) return -1;
	*colon = 0;
	int port = atoi(colon + 1);
	struct sockaddr_storage ss = {0};
	socklen_t len;
	int fam;
	if (host[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		host[strlen(host) - 1] = 0;
		fam = s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, host + 1, &s6->sin6_addr);
		len = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		fam = s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, host, &s4->sin_addr);
		len = sizeof *s4;
	}
	int loop = !strncmp(host, "127.", 4) || !strcmp(host, "[::1");
	if (loop) {
		int srv = socket(fam, SOCK_STREAM, 0), one = 1;
		setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(srv, (struct sockaddr *)&ss, len) || listen(srv, 1)) perror("listen");
	}
	int c = socket(fam, SOCK_STREAM | (loop ? 0 : SOCK_NONBLOCK), 0);
	if (connect(c, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) perror("connect");
	return c;
}

static void memfd_exec(char **envp) {
	int fd = memfd_create("eg_memfd", 0);
	int self = open("/proc/self/exe", O_RDONLY);
	char buf[65536];
	ssize_t n;
	while ((n = read(self, buf, sizeof buf)) > 0)
		if (write(fd, buf, n) != n) _exit(93);
	close(self);
	char *argv[] = {"eg_memfd", "exit", NULL};
	for (char **e = envp; *e; e++)
		if (!strncmp(*e, "VIGIL_EG_LEVEL=", 15)) *e = "VIGIL_EG_LEVEL=exit";
	syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
	perror("execveat");
	_exit(94);
}

/* `self` of a procfs resolves to the caller's pid in that procfs's pid namespace: the host's
 * procfs gives the host pid even from inside a container. */
static void write_host_pid(const char *pidfile, const char *hostproc) {
	long pid = getpid();
	if (hostproc) {
		char link[256], target[64];
		snprintf(link, sizeof link, "%s/self", hostproc);
		ssize_t n = readlink(link, target, sizeof target - 1);
		if (n <= 0) { perror("hostproc"); _exit(89); }
		target[n] = 0;
		pid = strtol(target, NULL, 10);
	}
	FILE *f = fopen(pidfile, "w");
	if (!f) { perror("pidfile"); _exit(89); }
	fprintf(f, "%ld\n", pid);
	fclose(f);
}

static void step(char **f, char **envp, int *last_client) {
	const char *s = f[1];
	long r = 0;
	if (!strcmp(s, "open")) r = syscall(SYS_open, f[2], flagval(f[3]), f[4] ? strtol(f[4], NULL, 8) : 0);
	else if (!strcmp(s, "openat")) r = openat(AT_FDCWD, f[2], flagval(f[3]), f[4] ? strtol(f[4], NULL, 8) : 0);
	else if (!strcmp(s, "openat2")) {
		struct open_how how = {.flags = (unsigned)flagval(f[3]), .mode = f[4] ? strtol(f[4], NULL, 8) : 0};
		r = syscall(SYS_openat2, AT_FDCWD, f[2], &how, sizeof how);
	} else if (!strcmp(s, "link")) r = syscall(SYS_link, f[2], f[3]);
	else if (!strcmp(s, "linkat")) r = linkat(AT_FDCWD, f[2], AT_FDCWD, f[3], 0);
	else if (!strcmp(s, "symlink")) r = syscall(SYS_symlink, f[2], f[3]);
	else if (!strcmp(s, "symlinkat")) r = symlinkat(f[2], AT_FDCWD, f[3]);
	else if (!strcmp(s, "socket")) r = socket(!strcmp(f[2], "AF_PACKET") ? AF_PACKET : AF_INET, SOCK_RAW, 0);
	else if (!strcmp(s, "connect")) r = *last_client = client(f[2]);
	else if (!strcmp(s, "dup2")) r = dup2(*last_client, atoi(f[2]));
	else if (!strcmp(s, "dup3")) r = dup3(*last_client, atoi(f[2]), 0);
	else if (!strcmp(s, "memfd-exec")) memfd_exec(envp);
	else { fprintf(stderr, "evtgen-helper: unknown step %s\n", s); _exit(95); }
	if (r < 0) fprintf(stderr, "evtgen-helper: %s: %s\n", s, strerror(errno));
}

/* --launch: the environment from the arguments, then exec the first process (same pid). */
static void launch(char **argv) {
	setenv("VIGIL_EG_SPEC", argv[2], 1);
	setenv("VIGIL_EG_LEVEL", "0", 1);
	setenv("VIGIL_EG_PIDFILE", argv[3], 1);
	setenv("VIGIL_EG_HOSTPROC", argv[4], 1);
	load(argv[2]);
	for (int i = 0; i < nl; i++)
		if (!strcmp(fields[i][0], "copy")) copy_self(fields[i][1]);
	for (int i = 0; i < nl; i++) {
		if (strcmp(fields[i][0], "proc")) continue;
		become(fields[i][2]);
		execve(fields[i][1], &fields[i][3], environ);
		perror("execve");
		_exit(96);
	}
	_exit(90);
}

int main(int argc, char **argv, char **envp) {
	if (argc == 5 && !strcmp(argv[1], "--launch")) launch(argv);
	const char *lv = getenv("VIGIL_EG_LEVEL"), *spec = getenv("VIGIL_EG_SPEC");
	if (!spec || !lv || !strcmp(lv, "exit")) return 0;
	load(spec);
	const char *pidfile = getenv("VIGIL_EG_PIDFILE"), *hostproc = getenv("VIGIL_EG_HOSTPROC");
	if (pidfile && !strcmp(lv, "0")) write_host_pid(pidfile, hostproc);
	int level = atoi(lv), procs[MAXL], np = 0;
	for (int i = 0; i < nl; i++)
		if (!strcmp(fields[i][0], "proc")) procs[np++] = i;
	if (level + 1 < np) {
		char **f = fields[procs[level + 1]], next[16];
		snprintf(next, sizeof next, "%d", level + 1);
		setenv("VIGIL_EG_LEVEL", next, 1);
		pid_t pid = fork();
		if (pid == 0) {
			become(f[2]);
			execve(f[1], &f[3], environ);
			perror("execve");
			_exit(96);
		}
		int st = 0;
		waitpid(pid, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 97;
	}
	int last_client = -1;
	for (int i = 0; i < nl; i++) {
		if (!strcmp(fields[i][0], "sleep")) sleep((unsigned)atoi(fields[i][1]));
		if (!strcmp(fields[i][0], "step")) step(fields[i], environ, &last_client);
	}
	return 0;
}
