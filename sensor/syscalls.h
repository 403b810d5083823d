/* The syscalls the sensor understands: what to read at exit and how to write the scap event. */
#ifndef SYSCALLS_H
#define SYSCALLS_H
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "vigil.h"

struct syscall_def {
	uint32_t nr;          /* x86_64 syscall number */
	const char *name;     /* Falco's evt.type name */
	struct vigil_spec spec; /* what the BPF side reads at exit */
	int state;            /* 1: needed by the state engine whatever the rules ask; 0: captured when asked
	                       * for or when nothing is named; 2: high volume (I/O), only when asked for */
};

extern const struct syscall_def SYSCALLS[];
extern const int NSYSCALLS;
/* The definition for a syscall name, or NULL. */
const struct syscall_def *syscall_by_name(const char *name);
/* Writes the scap event(s) for one ring-buffer record of `size` bytes. boot_ns converts boot time to wall time. */
void convert_record(const void *rec, size_t size, uint64_t boot_ns, uint16_t cpu);
#endif
