/* Writes scap blocks (section header, machine info, process list V9, event blocks V2). */
#ifndef SCAP_WRITER_H
#define SCAP_WRITER_H
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>

void sw_init(FILE *out);
int sw_flush(void);
/* True once a write failed (reader gone, or interrupted while stopping). */
int sw_failed(void);
/* Writes one block of any type around a ready body (padding and lengths added). */
void sw_block(uint32_t type, const void *body, size_t n);
void sw_section_header(void);
void sw_machine_info(uint32_t ncpus, uint64_t mem_bytes, uint64_t max_pid, const char *hostname, uint64_t boot_ts);

/* A process-list block is built entry by entry. */
struct sw_proc {
	uint64_t tid, pid, ptid, sid, pgid;
	uint64_t vtid, vpid;                 /* ids in the task's own pid namespace */
	const char *comm, *exe, *exepath, *cwd;
	const char *args; size_t args_len;   /* NUL-separated */
	const char *env; size_t env_len;
	const char *cgroups; size_t cgroups_len;
	uint64_t fdlimit;
	uint32_t uid, gid, vmsize_kb, vmrss_kb, loginuid, tty;
	uint64_t cap_inh, cap_prm, cap_eff;
};
void sw_proclist_begin(void);
void sw_proclist_add(const struct sw_proc *p);
void sw_proclist_end(void);

/* A user list block (from /etc/passwd and /etc/group). */
void sw_userlist_begin(void);
void sw_userlist_user(uint32_t uid, uint32_t gid, const char *name, const char *home, const char *shell);
void sw_userlist_group(uint32_t gid, const char *name);
void sw_userlist_end(void);

/* An event: begin, one call per parameter in table order, end. */
void sw_ev_begin(uint16_t type, uint64_t ts, uint64_t tid, uint16_t cpu);
void sw_p_u8(uint8_t v);
void sw_p_u16(uint16_t v);
void sw_p_u32(uint32_t v);
void sw_p_u64(uint64_t v);
void sw_p_str(const char *s, size_t max);   /* NUL-terminated string param */
void sw_p_bytes(const void *p, size_t n);   /* raw bytes param */
void sw_p_empty(void);
void sw_ev_end(void);
extern uint64_t sw_events_written;
#endif
