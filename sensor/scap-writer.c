#define _GNU_SOURCE
/* scap writer: pcapng-like little-endian blocks; see notes on the scap format.
 * Events use the V2 event block (26-byte header with nparams) that sysdig 0.29 reads. */
#include "scap-writer.h"
#include <string.h>
#include <stdlib.h>
#include <stdio.h>

#define BT_SHB 0x0A0D0D0A
#define BT_MI 0x201
#define BT_PL_V9 0x215
#define BT_EV_V2 0x216

static FILE *out;
uint64_t sw_events_written;

static void put(const void *p, size_t n) { fwrite(p, 1, n, out); }
static void put32(uint32_t v) { put(&v, 4); }

static void block(uint32_t type, const void *body, size_t n)
{
	static const uint8_t zeros[4];
	size_t pad = (4 - n % 4) % 4;
	uint32_t total = 12 + n + pad;
	put32(type);
	put32(total);
	put(body, n);
	put(zeros, pad);
	put32(total);
}

void sw_init(FILE *f) { out = f; }
void sw_block(uint32_t type, const void *body, size_t n) { block(type, body, n); }
int sw_flush(void) { return fflush(out); }
int sw_failed(void) { return ferror(out); }

void sw_section_header(void)
{
	uint8_t b[16];
	uint32_t magic = 0x1A2B3C4D;
	uint16_t major = 1, minor = 2;
	int64_t len = -1;
	memcpy(b, &magic, 4);
	memcpy(b + 4, &major, 2);
	memcpy(b + 6, &minor, 2);
	memcpy(b + 8, &len, 8);
	block(BT_SHB, b, sizeof b);
}

void sw_machine_info(uint32_t ncpus, uint64_t mem, uint64_t max_pid, const char *host, uint64_t boot_ts)
{
	uint8_t b[180] = {0};
	memcpy(b, &ncpus, 4);
	memcpy(b + 4, &mem, 8);
	memcpy(b + 12, &max_pid, 8);
	strncpy((char *)b + 20, host, 127);
	memcpy(b + 148, &boot_ts, 8);
	block(BT_MI, b, sizeof b);
}

/* A growable byte buffer for block bodies. */
static uint8_t *buf;
static size_t len, cap;
static void bput(const void *p, size_t n)
{
	if (len + n > cap) {
		cap = (len + n) * 2 + 4096;
		buf = realloc(buf, cap);
		if (!buf) abort();
	}
	memcpy(buf + len, p, n);
	len += n;
}
static void b16(uint16_t v) { bput(&v, 2); }
static void b32(uint32_t v) { bput(&v, 4); }
static void b64(uint64_t v) { bput(&v, 8); }
static void bstr16(const char *s, size_t n)
{
	if (n > 65535) n = 65535;
	b16((uint16_t)n);
	bput(s, n);
}

void sw_proclist_begin(void) { len = 0; }

void sw_proclist_add(const struct sw_proc *p)
{
	size_t start = len;
	b32(0); /* entry length, patched below */
	b64(p->tid); b64(p->pid); b64(p->ptid); b64(p->sid); b64(p->pgid);
	bstr16(p->comm, strlen(p->comm));
	bstr16(p->exe, strlen(p->exe));
	bstr16(p->exepath, strlen(p->exepath));
	bstr16(p->args, p->args_len);
	bstr16(p->cwd, strlen(p->cwd));
	b64(p->fdlimit);
	b32(0); /* flags */
	b32(p->uid); b32(p->gid);
	b32(p->vmsize_kb); b32(p->vmrss_kb); b32(0);
	b64(0); b64(0);
	bstr16(p->env, p->env_len);
	b64(p->vtid ? p->vtid : p->tid); b64(p->vpid ? p->vpid : p->pid);
	bstr16(p->cgroups, p->cgroups_len);
	bstr16("/", 1); /* root */
	b64(0);          /* pidns_init_start_ts */
	b32(p->tty);
	b32(p->loginuid);
	uint8_t writable = 0;
	bput(&writable, 1);
	b64(p->cap_inh); b64(p->cap_prm); b64(p->cap_eff);
	uint32_t n = len - start;
	memcpy(buf + start, &n, 4);
}

void sw_proclist_end(void) { block(BT_PL_V9, buf, len); len = 0; }

/* Event under construction: parameters go to `params`, their lengths to `lens`. */
static uint8_t params[70000];
static size_t plen;
static uint16_t lens[64];
static uint32_t nparams;
static uint16_t ev_type, ev_cpu;
static uint64_t ev_ts, ev_tid;

void sw_ev_begin(uint16_t type, uint64_t ts, uint64_t tid, uint16_t cpu)
{
	ev_type = type; ev_ts = ts; ev_tid = tid; ev_cpu = cpu;
	plen = 0; nparams = 0;
}

static void param(const void *p, size_t n)
{
	if (nparams >= 64) return;
	if (n > sizeof params - plen) n = sizeof params - plen;
	if (n == 0) { lens[nparams++] = 0; return; }
	memcpy(params + plen, p, n);
	plen += n;
	lens[nparams++] = (uint16_t)n;
}

void sw_p_u8(uint8_t v) { param(&v, 1); }
void sw_p_u16(uint16_t v) { param(&v, 2); }
void sw_p_u32(uint32_t v) { param(&v, 4); }
void sw_p_u64(uint64_t v) { param(&v, 8); }
void sw_p_empty(void) { param("", 0); }
void sw_p_bytes(const void *p, size_t n) { param(p, n > 65535 ? 65535 : n); }
void sw_p_str(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	if (n > 4096) n = 4096;
	if (nparams >= 64) return;
	if (n + 1 > sizeof params - plen) n = sizeof params - plen - 1;
	memcpy(params + plen, s, n);
	params[plen + n] = 0;
	plen += n + 1;
	lens[nparams++] = (uint16_t)(n + 1);
}

/* The whole block (framing, event header, lengths, parameters, padding, trailer) is assembled in one
 * buffer and handed to stdio in one unlocked write: the per-event cost of the C consumer. */
void sw_ev_end(void)
{
	static uint8_t blk[12 + 26 + 2 * 64 + sizeof params + 3];
	uint32_t total = 26 + 2 * nparams + plen;
	size_t body = 2 + total, pad = (4 - body % 4) % 4;
	uint32_t btype = BT_EV_V2, blen = 12 + body + pad;
	uint8_t *q = blk;
	memcpy(q, &btype, 4); q += 4;
	memcpy(q, &blen, 4); q += 4;
	memcpy(q, &ev_cpu, 2); q += 2;
	memcpy(q, &ev_ts, 8); q += 8;
	memcpy(q, &ev_tid, 8); q += 8;
	memcpy(q, &total, 4); q += 4;
	memcpy(q, &ev_type, 2); q += 2;
	memcpy(q, &nparams, 4); q += 4;
	memcpy(q, lens, 2 * nparams); q += 2 * nparams;
	memcpy(q, params, plen); q += plen;
	memset(q, 0, pad); q += pad;
	memcpy(q, &blen, 4); q += 4;
	fwrite_unlocked(blk, 1, q - blk, out);
	sw_events_written++;
}

#define BT_UL_V2 0x220

/* User list V2: users then groups, each entry prefixed by its length. */
void sw_userlist_begin(void) { len = 0; }

void sw_userlist_user(uint32_t uid, uint32_t gid, const char *name, const char *home, const char *shell)
{
	size_t start = len;
	uint8_t t = 0;
	b32(0);
	bput(&t, 1);
	b32(uid); b32(gid);
	bstr16(name, strlen(name)); bstr16(home, strlen(home)); bstr16(shell, strlen(shell));
	uint32_t n = len - start;
	memcpy(buf + start, &n, 4);
}

void sw_userlist_group(uint32_t gid, const char *name)
{
	size_t start = len;
	uint8_t t = 1;
	b32(0);
	bput(&t, 1);
	b32(gid);
	bstr16(name, strlen(name));
	uint32_t n = len - start;
	memcpy(buf + start, &n, 4);
}

void sw_userlist_end(void) { block(BT_UL_V2, buf, len); len = 0; }
