/* scap parameter encodings shared by the event converter and the /proc snapshot:
 * open flags, sockaddrs and connection tuples. */
#ifndef PARAMS_H
#define PARAMS_H
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "vigil.h"

/* Linux open flags -> scap PPM_O_* flags. */
uint32_t ppm_open_flags(uint64_t f);
/* Linux CLONE_* -> scap PPM_CL_CLONE_* (clone-family flags parameter; CLONE_STOPPED no longer exists). */
uint32_t ppm_clone_flags(uint64_t f);
/* scap's flag for a task created outside the initial pid namespace (set by the driver, not by clone(2)). */
#define PPM_CL_CHILD_IN_PIDNS (1u << 29)
/* Linux RESOLVE_* -> scap PPM_RESOLVE_* (openat2's resolve parameter). */
uint32_t ppm_resolve_flags(uint64_t f);
/* A struct sockaddr from user memory -> PT_SOCKADDR in out (at least 128 bytes); returns its length. */
size_t sockaddr_param(const uint8_t *sa, uint32_t n, uint8_t *out);
/* PT_SOCKTUPLE for connect (inbound = 0: local end first) or accept (inbound = 1: the peer first),
 * from the kernel socket `k` when it was read, else from the user sockaddr alone. out: >= 160 bytes. */
size_t tuple_param(const struct vigil_sock *k, const uint8_t *sa, uint32_t salen, int inbound, uint8_t *out);
#endif
