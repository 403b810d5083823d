/* Fd-list blocks for the /proc snapshot: each process's open fds, so a capture names the files
 * and connections that were open before it started. Socket inodes are global, so the tables of
 * /proc/<pid>/net tables of every network namespace are read once into one sorted array. */
#define _GNU_SOURCE
#include "procfs.h"
#include "params.h"
#include "scap-writer.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define BT_FDL_V2 0x218
/* scap_fd_type */
enum { FDT_FILE = 1, FDT_DIR = 2, FDT_IPV4 = 3, FDT_IPV6 = 4, FDT_IPV4_SERV = 5, FDT_IPV6_SERV = 6, FDT_FIFO = 7,
	FDT_UNIX = 8, FDT_EVENT = 9, FDT_UNSUPPORTED = 10, FDT_SIGNALFD = 11, FDT_EVENTPOLL = 12, FDT_INOTIFY = 13,
	FDT_TIMERFD = 14, FDT_FILE_V2 = 16 };
/* only types up to FILE_V2 are written: sysdig 0.29 refuses a capture with a newer one */
/* scap_l4_proto */
enum { L4_TCP = 2, L4_UDP = 3 };

struct sockent {
	uint64_t ino;
	uint8_t type, l4;
	uint16_t lport, rport;
	uint8_t laddr[16], raddr[16];
	uint64_t kaddr;  /* unix: the kernel address (0 under kptr_restrict) */
	char path[108];
};

static struct sockent *socks;
static size_t nsocks, capsocks;

static struct sockent *add_sock(void)
{
	if (nsocks == capsocks) {
		capsocks = capsocks ? capsocks * 2 : 256;
		struct sockent *n = realloc(socks, capsocks * sizeof *n);
		if (!n) return NULL;
		socks = n;
	}
	struct sockent *e = &socks[nsocks++];
	memset(e, 0, sizeof *e);
	return e;
}

/* "0100007F:1F90" (IPv4) or 32 hex digits + port (IPv6): the kernel prints each 32-bit word of the
 * network-order address as a host-order number, so copying the parsed words back gives the bytes. */
static int parse_endpoint(const char *s, uint8_t *addr, uint16_t *port, int v6)
{
	int words = v6 ? 4 : 1;
	for (int i = 0; i < words; i++) {
		char w[9];
		memcpy(w, s + 8 * i, 8);
		w[8] = 0;
		uint32_t v = (uint32_t)strtoul(w, NULL, 16);
		memcpy(addr + 4 * i, &v, 4);
	}
	if (s[8 * words] != ':') return -1;
	*port = (uint16_t)strtoul(s + 8 * words + 1, NULL, 16);
	return 0;
}

static int all_zero(const uint8_t *p, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i]) return 0;
	return 1;
}

static void read_inet(int pid, const char *name, int v6, uint8_t l4)
{
	char p[64], line[512];
	snprintf(p, sizeof p, "/proc/%d/net/%s", pid, name);
	FILE *f = fopen(p, "r");
	if (!f) return;
	if (!fgets(line, sizeof line, f)) { fclose(f); return; }
	while (fgets(line, sizeof line, f)) {
		char local[64], remote[64];
		unsigned st;
		unsigned long long ino;
		if (sscanf(line, " %*s %63s %63s %x %*s %*s %*s %*s %*s %llu", local, remote, &st, &ino) != 4 || !ino) continue;
		struct sockent *e = add_sock();
		if (!e) break;
		e->ino = ino;
		e->l4 = l4;
		if (parse_endpoint(local, e->laddr, &e->lport, v6) || parse_endpoint(remote, e->raddr, &e->rport, v6)) { nsocks--; continue; }
		int w = v6 ? 16 : 4;
		/* a listening TCP socket, or a socket with no peer, is a server socket in scap's terms */
		int server = (l4 == L4_TCP && st == 0x0A) || (all_zero(e->raddr, w) && e->rport == 0);
		e->type = v6 ? (server ? FDT_IPV6_SERV : FDT_IPV6) : (server ? FDT_IPV4_SERV : FDT_IPV4);
	}
	fclose(f);
}

static void read_unix(int pid)
{
	char p[64], line[512];
	snprintf(p, sizeof p, "/proc/%d/net/unix", pid);
	FILE *f = fopen(p, "r");
	if (!f) return;
	if (!fgets(line, sizeof line, f)) { fclose(f); return; }
	while (fgets(line, sizeof line, f)) {
		unsigned long long addr, ino;
		char path[108] = "";
		int n = sscanf(line, "%llx: %*s %*s %*s %*s %*s %llu %107s", &addr, &ino, path);
		if (n < 2 || !ino) continue;
		struct sockent *e = add_sock();
		if (!e) break;
		e->ino = ino;
		e->type = FDT_UNIX;
		e->kaddr = addr;
		snprintf(e->path, sizeof e->path, "%s", path);
	}
	fclose(f);
}

static int by_ino(const void *a, const void *b)
{
	uint64_t x = ((const struct sockent *)a)->ino, y = ((const struct sockent *)b)->ino;
	return x < y ? -1 : x > y;
}

/* Reads the socket tables of every network namespace in use (one process per namespace). */
static void load_sockets(void)
{
	uint64_t seen[512];
	int nseen = 0;
	DIR *d = opendir("/proc");
	if (!d) return;
	struct dirent *de;
	while ((de = readdir(d))) {
		int pid = atoi(de->d_name);
		if (pid <= 0) continue;
		char p[64];
		struct stat st;
		snprintf(p, sizeof p, "/proc/%d/ns/net", pid);
		if (stat(p, &st) != 0) continue;
		int known = 0;
		for (int i = 0; i < nseen && !known; i++) known = seen[i] == st.st_ino;
		if (known || nseen == 512) continue;
		seen[nseen++] = st.st_ino;
		read_inet(pid, "tcp", 0, L4_TCP);
		read_inet(pid, "tcp6", 1, L4_TCP);
		read_inet(pid, "udp", 0, L4_UDP);
		read_inet(pid, "udp6", 1, L4_UDP);
		read_unix(pid);
	}
	closedir(d);
	qsort(socks, nsocks, sizeof *socks, by_ino);
}

static const struct sockent *find_sock(uint64_t ino)
{
	struct sockent key = {.ino = ino};
	return bsearch(&key, socks, nsocks, sizeof *socks, by_ino);
}

/* The fd-list block body under construction. */
static uint8_t *body;
static size_t blen, bcap;
static void put(const void *p, size_t n)
{
	if (blen + n > bcap) {
		bcap = (blen + n) * 2 + 4096;
		body = realloc(body, bcap);
		if (!body) abort();
	}
	memcpy(body + blen, p, n);
	blen += n;
}
static void put8(uint8_t v) { put(&v, 1); }
static void put16(uint16_t v) { put(&v, 2); }
static void put32(uint32_t v) { put(&v, 4); }
static void put64(uint64_t v) { put(&v, 8); }
static void putstr(const char *s)
{
	size_t n = strlen(s);
	if (n > 65535) n = 65535;
	put16((uint16_t)n);
	put(s, n);
}

static uint32_t fd_open_flags(int pid, int fd)
{
	char p[64], buf[256];
	snprintf(p, sizeof p, "/proc/%d/fdinfo/%d", pid, fd);
	FILE *f = fopen(p, "r");
	if (!f) return 0;
	unsigned long flags = 0;
	while (fgets(buf, sizeof buf, f))
		if (sscanf(buf, "flags: %lo", &flags) == 1) break;
	fclose(f);
	return ppm_open_flags(flags);
}

static int anon_type(const char *t)
{
	if (strstr(t, "eventfd")) return FDT_EVENT;
	if (strstr(t, "eventpoll")) return FDT_EVENTPOLL;
	if (strstr(t, "inotify")) return FDT_INOTIFY;
	if (strstr(t, "signalfd")) return FDT_SIGNALFD;
	if (strstr(t, "timerfd")) return FDT_TIMERFD;
	/* bpf and pidfd fds have types of their own in newer libscap, which sysdig 0.29 refuses */
	return FDT_UNSUPPORTED;
}

/* Appends one entry; returns 1 when written. */
static int add_fd(int pid, int fd, const char *target)
{
	char p[64];
	struct stat st;
	snprintf(p, sizeof p, "/proc/%d/fd/%d", pid, fd);
	uint64_t ino = stat(p, &st) == 0 ? st.st_ino : 0;
	size_t start = blen;
	put32(0); /* entry length, patched below */
	put64((uint64_t)fd);
	put64(ino);
	unsigned long long sino;
	if (sscanf(target, "socket:[%llu]", &sino) == 1) {
		const struct sockent *s = find_sock(sino);
		if (!s) { blen = start; return 0; }
		put8(s->type);
		switch (s->type) {
		case FDT_IPV4: put(s->laddr, 4); put(s->raddr, 4); put16(s->lport); put16(s->rport); put8(s->l4); break;
		case FDT_IPV4_SERV: put(s->laddr, 4); put16(s->lport); put8(s->l4); break;
		case FDT_IPV6: put(s->laddr, 16); put(s->raddr, 16); put16(s->lport); put16(s->rport); put8(s->l4); break;
		case FDT_IPV6_SERV: put(s->laddr, 16); put16(s->lport); put8(s->l4); break;
		default: put64(s->kaddr); put64(0); putstr(s->path); break;
		}
	} else if (!strncmp(target, "pipe:", 5)) {
		put8(FDT_FIFO); putstr(target);
	} else if (!strncmp(target, "anon_inode:", 11)) {
		put8((uint8_t)anon_type(target)); putstr(target);
	} else if (target[0] == '/') {
		char name[4096];
		snprintf(name, sizeof name, "%s", target);
		char *del = strstr(name, " (deleted)");
		if (del && del[10] == 0) *del = 0;
		if (!strncmp(name, "/memfd:", 7)) {
			/* as FILE_V2 named like memfd_create's fd (the MEMFD type is newer than sysdig 0.29) */
			put8(FDT_FILE_V2);
			put32(fd_open_flags(pid, fd));
			putstr(name + 1);
			put32(0);
		} else if (ino && S_ISDIR(st.st_mode)) {
			put8(FDT_DIR); putstr(name);
		} else if (ino && S_ISFIFO(st.st_mode)) {
			put8(FDT_FIFO); putstr(name);
		} else {
			put8(FDT_FILE_V2);
			put32(fd_open_flags(pid, fd));
			putstr(name);
			put32(ino ? (uint32_t)(major(st.st_dev) << 20 | minor(st.st_dev)) : 0);
		}
	} else {
		put8(FDT_UNSUPPORTED); putstr(target);
	}
	uint32_t n = blen - start;
	memcpy(body + start, &n, 4);
	return 1;
}

static int write_process(int pid)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%d/fd", pid);
	DIR *d = opendir(p);
	if (!d) return 0;
	blen = 0;
	put64((uint64_t)pid);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
		int fd = atoi(de->d_name);
		char link[80], target[4096];
		snprintf(link, sizeof link, "/proc/%d/fd/%d", pid, fd);
		ssize_t r = readlink(link, target, sizeof target - 1);
		if (r <= 0) continue;
		target[r] = 0;
		n += add_fd(pid, fd, target);
	}
	closedir(d);
	if (n) sw_block(BT_FDL_V2, body, blen);
	return n;
}

int procfs_write_fdlists(void)
{
	load_sockets();
	int self = getpid(), total = 0;
	const uint32_t *pids;
	size_t n = procfs_listed_pids(&pids);
	for (size_t i = 0; i < n; i++)
		if ((int)pids[i] != self) total += write_process((int)pids[i]);
	free(socks);
	socks = NULL;
	nsocks = capsocks = 0;
	return total;
}
