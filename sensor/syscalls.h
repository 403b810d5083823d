/* The syscalls the sensor understands: what to read at exit and how to write the scap event. */
#ifndef SYSCALLS_H
#define SYSCALLS_H
#include <stdint.h>
#include <linux/types.h>
#include "vigil.h"

struct syscall_def {
	uint32_t nr;          /* x86_64 syscall number */
	const char *name;     /* Falco's evt.type name */
	uint8_t kind[6];      /* enum vigil_arg_kind per argument */
	int state;            /* needed by the state engine whatever the rules ask */
};

extern const struct syscall_def SYSCALLS[];
extern const int NSYSCALLS;
/* The definition for a syscall name, or NULL. */
const struct syscall_def *syscall_by_name(const char *name);
/* Writes the scap event(s) for one record. boot_ns converts boot time to wall time. */
void convert_record(const struct vigil_rec *r, uint64_t boot_ns, uint16_t cpu);
#endif
