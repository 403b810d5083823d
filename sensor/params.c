/* scap parameter encodings: PPM open/resolve flags, PT_SOCKADDR and PT_SOCKTUPLE. Addresses are
 * copied in network byte order, ports are written in host order (as libscap does). */
#include "params.h"
#include <string.h>

uint32_t ppm_resolve_flags(uint64_t f)
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

uint32_t ppm_clone_flags(uint64_t f)
{
	static const struct { uint64_t linux_flag; uint32_t ppm; } map[] = {
		{0x400, 1 << 0},        /* CLONE_FILES */
		{0x200, 1 << 1},        /* CLONE_FS */
		{0x80000000, 1 << 2},   /* CLONE_IO */
		{0x08000000, 1 << 3},   /* CLONE_NEWIPC */
		{0x40000000, 1 << 4},   /* CLONE_NEWNET */
		{0x00020000, 1 << 5},   /* CLONE_NEWNS */
		{0x20000000, 1 << 6},   /* CLONE_NEWPID */
		{0x04000000, 1 << 7},   /* CLONE_NEWUTS */
		{0x8000, 1 << 8},       /* CLONE_PARENT */
		{0x00100000, 1 << 9},   /* CLONE_PARENT_SETTID */
		{0x2000, 1 << 10},      /* CLONE_PTRACE */
		{0x800, 1 << 11},       /* CLONE_SIGHAND */
		{0x00040000, 1 << 12},  /* CLONE_SYSVSEM */
		{0x00010000, 1 << 13},  /* CLONE_THREAD */
		{0x00800000, 1 << 14},  /* CLONE_UNTRACED */
		{0x100, 1 << 15},       /* CLONE_VM */
		{0x10000000, 1 << 20},  /* CLONE_NEWUSER */
		{0x00200000, 1 << 23},  /* CLONE_CHILD_CLEARTID */
		{0x01000000, 1 << 24},  /* CLONE_CHILD_SETTID */
		{0x00080000, 1 << 25},  /* CLONE_SETTLS */
		{0x4000, 1 << 27},      /* CLONE_VFORK */
		{0x02000000, 1 << 28},  /* CLONE_NEWCGROUP */
	};
	uint32_t r = 0;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (f & map[i].linux_flag) r |= map[i].ppm;
	return r;
}

uint32_t ppm_open_flags(uint64_t f)
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

size_t sockaddr_param(const uint8_t *sa, uint32_t n, uint8_t *out)
{
	if (n < 2) return 0;
	if (n > VIGIL_SA_MAX) n = VIGIL_SA_MAX;
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
	if (fam == 1) { /* AF_UNIX: path at 2; an abstract name (leading NUL) is shown with '@' */
		out[0] = 1;
		size_t pl = n > 2 ? strnlen((const char *)sa + 2, n - 2) : 0;
		if (pl == 0 && n > 3) pl = strnlen((const char *)sa + 3, n - 3) + 1;
		memcpy(out + 1, sa + 2, pl);
		out[1 + pl] = 0;
		if (out[1] == 0 && pl > 0) out[1] = '@';
		return pl + 2;
	}
	out[0] = (uint8_t)fam;
	return 1;
}

static const uint8_t V4MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static int is_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i]) return 0;
	return 1;
}

/* One end of a tuple: address bytes then the host-order port. */
static size_t put_end(uint8_t *out, const uint8_t *addr, size_t alen, uint16_t port)
{
	memcpy(out, addr, alen);
	memcpy(out + alen, &port, 2);
	return alen + 2;
}

size_t tuple_param(const struct vigil_sock *k, const uint8_t *sa, uint32_t salen, int inbound, uint8_t *out)
{
	uint8_t a[VIGIL_SA_MAX + 2];
	size_t al = sa && salen ? sockaddr_param(sa, salen, a) : 0;
	if (k && (k->family == 2 || k->family == 10)) {
		const uint8_t *laddr = k->laddr, *raddr = k->raddr;
		uint16_t lport = k->lport, rport = k->rport;
		uint8_t ua[16];
		/* a failed or not yet established connect: the remote end is what the caller asked for */
		size_t w = k->family == 2 ? 4 : 16;
		if (!inbound && is_zero(raddr, w) && rport == 0 && (al == 7 || al == 19)) {
			memset(ua, 0, sizeof ua);
			memcpy(ua, a + 1, al == 7 ? 4 : 16);
			raddr = ua;
			memcpy(&rport, a + (al == 7 ? 5 : 17), 2);
		}
		const uint8_t *src = inbound ? raddr : laddr, *dst = inbound ? laddr : raddr;
		uint16_t sport = inbound ? rport : lport, dport = inbound ? lport : rport;
		/* IPv4 peers of an IPv6 socket are written as IPv4, as libscap does */
		if (k->family == 10 && !memcmp(src, V4MAPPED, 12) && !memcmp(dst, V4MAPPED, 12)) {
			src += 12;
			dst += 12;
			w = 4;
		}
		out[0] = w == 4 ? 2 : 10;
		size_t n = 1;
		n += put_end(out + n, src, w, sport);
		n += put_end(out + n, dst, w, dport);
		return n;
	}
	if (k && k->family == 1) {
		out[0] = 1;
		memcpy(out + 1, &k->sk, 8);
		memcpy(out + 9, &k->peer, 8);
		size_t pl = al >= 2 && a[0] == 1 ? al - 1 : 1;
		if (al >= 2 && a[0] == 1) memcpy(out + 17, a + 1, pl);
		else out[17] = 0;
		return 17 + pl;
	}
	/* the socket could not be read: the user sockaddr alone, the local end unknown (zero) */
	static const uint8_t zero[18];
	if (al == 7 || al == 19) {
		size_t w = al == 7 ? 6 : 18;
		out[0] = a[0];
		memcpy(out + 1, inbound ? a + 1 : zero, w);
		memcpy(out + 1 + w, inbound ? zero : a + 1, w);
		return 1 + 2 * w;
	}
	if (al >= 2 && a[0] == 1) {
		out[0] = 1;
		memset(out + 1, 0, 16);
		memcpy(out + 17, a + 1, al - 1);
		return 17 + al - 1;
	}
	return 0;
}
